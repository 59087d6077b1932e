using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;
using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Cards;

/// <summary>Linking at a counter with a mailed confirmation, self-service linking, loss by the owner, blocks, and refunds that need the card.</summary>
[Collection(OwnershipCollection.Name)]
public sealed class CardOwnershipApiTests(OwnershipSiloFixture silo)
{
    private const string StartLink = "mutation($i: StartCardLinkInput!) { startCardLink(input: $i) { uid venueId expiresAt confirmed } }";

    private const string Confirm =
        "mutation($i: ConfirmCardLinkInput!) { confirmCardLink(input: $i) { card { uid state walletId } userWalletId moved { assetId amount fromWalletId toWalletId } } }";

    private const string Block = "mutation($i: BlockCardInput!) { blockCard(input: $i) { uid state walletId blockedBy blockedReason } }";

    private const string Unblock = "mutation($i: UnblockCardInput!) { unblockCard(input: $i) { uid walletId blockedBy } }";

    private const string Refund =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String, $q: String, $a: Long) { refund(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, cardQrId: $q, amount: $a) { approved reason cashReturned } }";

    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@test.localhost";

    private Task<GraphQLResponse> StartAsync(CashlessNetwork net, string uid, string email, string key, string? authorization = null) =>
        silo.PostAsync(StartLink, new { i = new { venueId = net.Venue, uid, email, idempotencyKey = key } }, authorization ?? net.Admin);

    private Task<GraphQLResponse> ConfirmAsync(string token, string? authorization = null) => silo.PostAsync(Confirm, new { i = new { token } }, authorization);

    private async Task<JsonNode> CardAsync(CashlessNetwork net, string uid) =>
        (await silo.PostAsync("query($u: String!) { card(uid: $u) { uid state walletId blockedBy } }", new { u = uid }, net.Admin)).Data()["card"]!;

    [Fact]
    public async Task A_counter_link_mails_a_code_moves_nothing_and_the_code_brought_back_links_and_fuses()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var card = await net.FundedCardAsync(600);
        var email = NewEmail();
        var key = CashlessNetwork.NewKey();
        var before = await CardAsync(net, card);
        var ledger = await silo.LedgerRowsAsync();

        var started = (await StartAsync(net, card, email, key, cashier)).Data()["startCardLink"]!;

        // The code went to the address only: the counter's answer does not carry it, and nothing moved yet.
        var token = silo.Mail.LastLinkToken(email);
        Assert.DoesNotContain(token, started.ToJsonString(), StringComparison.Ordinal);
        Assert.False(started["confirmed"]!.GetValue<bool>());
        Assert.Equal(before.ToJsonString(), (await CardAsync(net, card)).ToJsonString());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(600, await net.TlfBalanceAsync(card));

        var linked = (await ConfirmAsync(token)).Data()["confirmCardLink"]!;
        var replay = (await ConfirmAsync(token)).Data()["confirmCardLink"]!;

        Assert.Equal("IDENTIFIED", linked["card"]!["state"]!.GetValue<string>());
        Assert.Equal(600, Assert.Single(linked["moved"]!.AsArray())!["amount"]!.GetValue<long>());
        Assert.Equal(linked.ToJsonString(), replay.ToJsonString());
        Assert.Equal(ledger + 1, await silo.LedgerRowsAsync());
        Assert.Equal(600, await net.TlfBalanceAsync(card));
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", IdempotencyScope.ForVenue(VenueId.Parse(net.Venue), key).Value));
        // The owner now sees the card among theirs.
        var mine = (await silo.PostAsync("{ myCards { uid state } }", authorization: silo.CustomerBearer(email))).Data()["myCards"]!.AsArray();
        Assert.Equal(card, Assert.Single(mine)!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Starting_again_with_the_same_key_mails_a_fresh_code_and_the_first_one_stops_working()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(100);
        var (email, key) = (NewEmail(), CashlessNetwork.NewKey());
        (await StartAsync(net, card, email, key)).Data();
        var first = silo.Mail.LastLinkToken(email);
        (await StartAsync(net, card, email, key)).Data();
        var second = silo.Mail.LastLinkToken(email);
        var ledger = await silo.LedgerRowsAsync();

        var stale = await ConfirmAsync(first);
        var otherRequest = await StartAsync(net, card, NewEmail(), key);

        Assert.NotEqual(first, second);
        Assert.Equal("INVALID_LINK_TOKEN", stale.ErrorCode());
        Assert.Equal("CONFLICT", otherRequest.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("ANONYMOUS", (await CardAsync(net, card))["state"]!.GetValue<string>());
        Assert.Equal("IDENTIFIED", (await ConfirmAsync(second)).Data()["confirmCardLink"]!["card"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signed_in_customer_confirms_only_their_own_address_and_an_unknown_code_is_refused()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var email = NewEmail();
        (await StartAsync(net, card, email, CashlessNetwork.NewKey())).Data();
        var token = silo.Mail.LastLinkToken(email);
        var ledger = await silo.LedgerRowsAsync();

        var stranger = await ConfirmAsync(token, silo.NewCustomer().Bearer);
        var unknown = await ConfirmAsync("not-a-code-" + Guid.NewGuid().ToString("N"));

        Assert.Equal("FORBIDDEN", stranger.ErrorCode());
        Assert.Equal("INVALID_LINK_TOKEN", unknown.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("ANONYMOUS", (await CardAsync(net, card))["state"]!.GetValue<string>());
        Assert.Equal(300, await net.TlfBalanceAsync(card));
        Assert.Equal("IDENTIFIED", (await ConfirmAsync(token, silo.CustomerBearer(email))).Data()["confirmCardLink"]!["card"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_counter_link_is_refused_for_a_linked_lost_or_blocked_card_and_mails_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (linked, lost, blocked) = (await net.FundedCardAsync(100), await net.FundedCardAsync(100), await net.FundedCardAsync(100));
        var (owner, ownerBearer) = silo.NewCustomer();
        (await silo.LinkMyCardAsync(linked, ownerBearer)).Data();
        (await silo.LinkMyCardAsync(lost, ownerBearer)).Data();
        (await silo.PostAsync("mutation($i: DeclareMyCardLostInput!) { declareMyCardLost(input: $i) { state } }", new { i = new { uid = lost } }, ownerBearer)).Data();
        (await silo.PostAsync(Block, new { i = new { venueId = net.Venue, uid = blocked, reason = "found on the floor" } }, net.Admin)).Data();
        var target = NewEmail();
        var links = await silo.ScalarAsync("SELECT count(*) FROM card_link_requests");

        var codes = new[] { linked, lost, blocked }.Select(async c => (await StartAsync(net, c, target, CashlessNetwork.NewKey())).ErrorCode());

        Assert.Equal(new[] { "CONFLICT", "CONFLICT", "CONFLICT" }, await Task.WhenAll(codes));
        Assert.Empty(silo.Mail.To(target));
        Assert.Equal(links, await silo.ScalarAsync("SELECT count(*) FROM card_link_requests"));
    }

    [Fact]
    public async Task A_lost_card_counts_against_takeover_and_its_owner_moves_the_balance_to_a_new_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (lost, stranger, replacement) = (await net.FundedCardAsync(800), await net.FundedCardAsync(50), await CashlessNetwork.NewCardAsync(silo.Client, net.Admin));
        var (owner, ownerBearer) = silo.NewCustomer();
        var userWallet = (await silo.LinkMyCardAsync(lost, ownerBearer)).Data()["linkMyCard"]!["userWalletId"]!.GetValue<string>();
        (await silo.PostAsync("mutation($i: DeclareMyCardLostInput!) { declareMyCardLost(input: $i) { state } }", new { i = new { uid = lost } }, ownerBearer)).Data();
        var ledger = await silo.LedgerRowsAsync();

        // Only a lost card and a balance: a counter link to the owner's address is still refused.
        var takeover = await StartAsync(net, stranger, owner, CashlessNetwork.NewKey());
        Assert.Equal("CONFLICT", takeover.ErrorCode());
        Assert.Empty(silo.Mail.To(owner));
        Assert.Equal(ledger, await silo.LedgerRowsAsync());

        var relinked = (await silo.LinkMyCardAsync(replacement, ownerBearer)).Data()["linkMyCard"]!;
        Assert.Equal(userWallet, relinked["userWalletId"]!.GetValue<string>());
        Assert.Equal(800, await net.TlfBalanceAsync(replacement));
        Assert.Equal(50, await net.TlfBalanceAsync(stranger));
    }

    [Fact]
    public async Task Linking_my_card_needs_its_printed_secret()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(100);
        var (_, bearer) = silo.NewCustomer();
        var ledger = await silo.LedgerRowsAsync();

        var wrong = await silo.LinkMyCardAsync(card, bearer, qrId: "qr-" + CashlessNetwork.NewUid());
        var staff = await silo.LinkMyCardAsync(card, net.Admin);

        Assert.Equal("UNKNOWN_CARD", wrong.ErrorCode());
        Assert.Equal("FORBIDDEN", staff.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("ANONYMOUS", (await CardAsync(net, card))["state"]!.GetValue<string>());
        Assert.Null((await silo.PostAsync("query($u: String!) { card(uid: $u) { qrId } }", new { u = card }, await silo.StaffAsync(net.Venue, "ADMIN"))).Data()["card"]!["qrId"]);
    }

    [Fact]
    public async Task A_blocked_card_pays_nothing_anywhere_keeps_its_money_and_only_its_venue_lifts_the_block()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var there = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await here.FundedCardAsync(500);
        (await there.RefillAsync(card, 200, CashlessNetwork.NewKey())).Data();
        var cashier = await silo.StaffAsync(here.Venue, "CASHIER");
        var ledger = await silo.LedgerRowsAsync();

        var blocked = (await silo.PostAsync(Block, new { i = new { venueId = here.Venue, uid = card, reason = "reported stolen" } }, cashier)).Data()["blockCard"]!;
        var payHere = (await here.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var payThere = (await there.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var unblockByCashier = await silo.PostAsync(Unblock, new { i = new { venueId = here.Venue, uid = card } }, cashier);
        var unblockThere = await silo.PostAsync(Unblock, new { i = new { venueId = there.Venue, uid = card } }, there.Admin);

        Assert.Equal(here.Venue, blocked["blockedBy"]!.GetValue<string>());
        Assert.Null(blocked["walletId"]);
        Assert.Equal("CARD_BLOCKED", payHere["reason"]!.GetValue<string>());
        Assert.Equal("CARD_BLOCKED", payThere["reason"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", unblockByCashier.ErrorCode());
        Assert.Equal("FORBIDDEN", unblockThere.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(500, await here.TlfBalanceAsync(card));

        var lifted = (await silo.PostAsync(Unblock, new { i = new { venueId = here.Venue, uid = card } }, here.Admin)).Data()["unblockCard"]!;
        Assert.Null(lifted["blockedBy"]);
        Assert.True((await here.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_card_declared_lost_while_its_wallet_is_loaded_pays_nothing_more()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(800);
        var (_, ownerBearer) = silo.NewCustomer();
        (await silo.LinkMyCardAsync(card, ownerBearer)).Data();
        Assert.True((await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());

        (await silo.PostAsync("mutation($i: DeclareMyCardLostInput!) { declareMyCardLost(input: $i) { state } }", new { i = new { uid = card } }, ownerBearer)).Data();
        var ledger = await silo.LedgerRowsAsync();
        var pay = (await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;

        Assert.Equal("CARD_LOST", pay["reason"]!.GetValue<string>());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
    }

    [Theory]
    [InlineData("UPDATE cards SET state = 3, version = version + 1 WHERE uid = $1", "CARD_LOST")]
    [InlineData("UPDATE cards SET blocked_by = $2, blocked_reason = 'stolen', blocked_at = now(), version = version + 1 WHERE uid = $1", "CARD_BLOCKED")]
    public async Task A_loss_or_block_whose_notice_to_the_wallet_failed_still_stops_the_card(string partialWrite, string reason)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(800);
        var (_, ownerBearer) = silo.NewCustomer();
        (await silo.LinkMyCardAsync(card, ownerBearer)).Data();
        Assert.True((await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());

        // The card's row as a loss or a block leaves it when the call to the card's wallet fails after the write.
        Assert.Equal(1, await silo.ScalarAsync($"WITH u AS ({partialWrite} RETURNING 1) SELECT count(*) FROM u",
            [(await CardAsync(net, card))["uid"]!.GetValue<string>(), .. partialWrite.Contains("$2", StringComparison.Ordinal) ? new object[] { net.Venue } : []]));
        var ledger = await silo.LedgerRowsAsync();
        var pay = (await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;

        Assert.Equal(reason, pay["reason"]!.GetValue<string>());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_refund_needs_the_card_tapped_at_the_till_or_its_printed_secret()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var card = await net.FundedCardAsync(900);
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"Bar reader\") { key } }",
            new { v = net.Venue }, net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();
        var ledger = await silo.LedgerRowsAsync();

        var bare = await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, a = 100 }, cashier);
        var wrongSecret = await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, q = "qr-" + CashlessNetwork.NewUid(), a = 100 }, cashier);
        Assert.Equal("CARD_PROOF_REQUIRED", bare.ErrorCode());
        Assert.Equal("CARD_PROOF_REQUIRED", wrongSecret.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(900, await net.TlfBalanceAsync(card));

        var bySecret = (await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, q = "qr-" + card, a = 100 }, cashier)).Data()["refund"]!;
        var byTap = (await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, a = 200 }, device)).Data()["refund"]!;
        Assert.Equal(100, bySecret["cashReturned"]!.GetValue<long>());
        Assert.Equal(200, byTap["cashReturned"]!.GetValue<long>());
        Assert.Equal(600, await net.TlfBalanceAsync(card));
    }
}

using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.Wallets;

/// <summary>Counter operations through the public API: refill, refund and void, badge.</summary>
[Collection(SiloCollection.Name)]
public sealed class CounterApiTests(TestFieldsSiloFixture silo)
{
    private const string Refill =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long!, $m: PaymentMeans!, $asset: ID) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a, means: $m, assetId: $asset) { approved reason kind operationId movements { assetId amount fromWalletId toWalletId } balances { assetId amount } } }";

    private const string Refund =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $q: String, $a: Long) { refund(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, cardQrId: $q, amount: $a) { approved reason cashReturned burned owedToVenue operationId movements { assetId amount fromWalletId toWalletId } balances { assetId amount } } }";

    private const string Badge =
        "mutation($k: String!, $v: ID!, $card: String!, $asset: ID!) { badge(idempotencyKey: $k, venueId: $v, cardUid: $card, assetId: $asset) { approved reason kind operationId movements { assetId amount fromWalletId toWalletId } balances { assetId amount } } }";

    private Task<GraphQLResponse> RefillAsync(CashlessNetwork net, string card, long amount, string means, string key, string? asset = null, string? cashier = null) =>
        silo.PostAsync(Refill, new { k = key, v = net.Venue, c = cashier ?? net.Cashier, card, a = amount, m = means, asset }, net.Admin);

    private Task<GraphQLResponse> RefundAsync(CashlessNetwork net, string card, long? amount, string key, string? cashier = null) =>
        silo.PostAsync(Refund, new { k = key, v = net.Venue, c = cashier ?? net.Cashier, card, q = "qr-" + card, a = amount }, net.Admin);

    /// <summary>Gives the card <paramref name="amount"/> of FED and returns it.</summary>
    private static async Task<string> IssueFedAsync(CashlessNetwork net, string card, long amount)
    {
        await net.IssueAsync(await net.WalletOfAsync(card), Fed, amount);
        return card;
    }

    // ---------------------------------------------------------------- refill

    [Fact]
    public async Task A_cash_refill_credits_the_venue_tlf_from_its_mint_and_replays_with_the_same_key()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var wallet = await net.WalletOfAsync(card);
        var key = CashlessNetwork.NewKey();

        var first = (await RefillAsync(net, card, 1250, "CASH", key)).Data()["refill"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await RefillAsync(net, card, 1250, "CASH", key)).Data()["refill"]!;

        Assert.True(first["approved"]!.GetValue<bool>());
        Assert.Equal("REFILL", first["kind"]!.GetValue<string>());
        // The TLF's mint wallet has the asset's id.
        Assert.Equal([(net.Tlf, 1250L, net.Tlf, wallet)], Movements(first));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 1250 }, Balances(first["balances"]!));
        Assert.Equal(first["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 1250 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task A_bank_card_refill_of_the_venue_tnf_credits_its_gift_money()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);

        var refill = (await RefillAsync(net, card, 800, "BANK_CARD", CashlessNetwork.NewKey(), asset: net.Tnf)).Data()["refill"]!;

        Assert.True(refill["approved"]!.GetValue<bool>());
        Assert.Equal([(net.Tnf, 800L, net.Tnf, await net.WalletOfAsync(card))], Movements(refill));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300, [net.Tnf] = 800 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task The_same_refill_key_with_a_different_request_is_a_conflict_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var key = CashlessNetwork.NewKey();
        Assert.True((await RefillAsync(net, card, 500, "CASH", key)).Data()["refill"]!["approved"]!.GetValue<bool>());
        var rows = await silo.LedgerRowsAsync();

        var otherAmount = await RefillAsync(net, card, 600, "CASH", key);
        var otherMeans = await RefillAsync(net, card, 500, "BANK_CARD", key);
        // The key is the client's, not the card's: another card's wallet finds it in the ledger.
        var otherCard = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var onOtherCard = await RefillAsync(net, otherCard, 500, "CASH", key);

        Assert.Equal("CONFLICT", otherAmount.ErrorCode());
        Assert.Equal("CONFLICT", otherMeans.ErrorCode());
        Assert.Equal("CONFLICT", onOtherCard.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
        Assert.Equal(0, await net.TlfBalanceAsync(otherCard));
    }

    [Fact]
    public async Task A_zero_refill_is_bad_user_input_and_writes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(400);
        var rows = await silo.LedgerRowsAsync();

        var cash = await RefillAsync(net, card, 0, "CASH", CashlessNetwork.NewKey());
        var tnf = await RefillAsync(net, card, 0, "BANK_CARD", CashlessNetwork.NewKey(), asset: net.Tnf);

        Assert.Equal("BAD_USER_INPUT", cash.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", tnf.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 400 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task A_refill_paid_online_is_not_a_counter_refill()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(400);
        var rows = await silo.LedgerRowsAsync();

        var response = await RefillAsync(net, card, 100, "ONLINE", CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(400, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_refill_needs_a_cashier_card_of_the_venue()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(400);
        var plainCard = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var rows = await silo.LedgerRowsAsync();

        var notCashier = await RefillAsync(net, card, 100, "CASH", CashlessNetwork.NewKey(), cashier: plainCard);
        var cashierElsewhere = await RefillAsync(net, card, 100, "CASH", CashlessNetwork.NewKey(), cashier: elsewhere.Cashier);

        Assert.Equal("FORBIDDEN", notCashier.ErrorCode());
        Assert.Equal("FORBIDDEN", cashierElsewhere.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(400, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_venue_cannot_refill_another_venues_local_assets()
    {
        var issuer = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await issuer.FundedCardAsync(400);
        var rows = await silo.LedgerRowsAsync();

        var tlf = await RefillAsync(other, card, 100, "CASH", CashlessNetwork.NewKey(), asset: issuer.Tlf);
        var tnf = await RefillAsync(other, card, 100, "CASH", CashlessNetwork.NewKey(), asset: issuer.Tnf);

        Assert.Equal("FORBIDDEN", tlf.ErrorCode());
        Assert.Equal("FORBIDDEN", tnf.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [issuer.Tlf] = 400 }, await issuer.CardBalancesAsync(card));
    }

    [Fact]
    public async Task Fed_is_never_refilled_at_a_counter()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await IssueFedAsync(net, await net.FundedCardAsync(400), 200);
        var rows = await silo.LedgerRowsAsync();

        var response = await RefillAsync(net, card, 100, "CASH", CashlessNetwork.NewKey(), asset: Fed);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 400, [Fed] = 200 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task Only_tlf_and_tnf_are_refilled_at_a_counter()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var time = (await net.AddAssetAsync("TIM")).Id;
        var card = await net.FundedCardAsync(400);
        var rows = await silo.LedgerRowsAsync();

        var response = await RefillAsync(net, card, 100, "CASH", CashlessNetwork.NewKey(), asset: time);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 400 }, await net.CardBalancesAsync(card));
    }

    // ---------------------------------------------------------------- refund and void

    [Fact]
    public async Task A_cash_refund_burns_the_venue_euro_first_then_makes_fed_owed_to_the_venue()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await IssueFedAsync(net, await net.FundedCardAsync(300), 400);
        Assert.True((await RefillAsync(net, card, 200, "CASH", CashlessNetwork.NewKey(), asset: net.Tnf)).Data()["refill"]!["approved"]!.GetValue<bool>());
        var wallet = await net.WalletOfAsync(card);
        var venueWallet = await net.VenueWalletAsync();
        var key = CashlessNetwork.NewKey();

        var refund = (await RefundAsync(net, card, 500, key)).Data()["refund"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await RefundAsync(net, card, 500, key)).Data()["refund"]!;

        Assert.True(refund["approved"]!.GetValue<bool>());
        Assert.Equal("NONE", refund["reason"]!.GetValue<string>());
        Assert.Equal(500, refund["cashReturned"]!.GetValue<long>());
        Assert.Equal(300, refund["burned"]!.GetValue<long>());
        Assert.Equal(200, refund["owedToVenue"]!.GetValue<long>());
        // Gift money is never paid out in cash: the TNF stays on the card.
        Assert.Equal([(net.Tlf, 300L, wallet, net.Tlf), (Fed, 200L, wallet, venueWallet)], Movements(refund));
        Assert.Equal(new Dictionary<string, long> { [net.Tnf] = 200, [Fed] = 200 }, Balances(refund["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [net.Tnf] = 200, [Fed] = 200 }, await net.CardBalancesAsync(card));
        Assert.Equal(refund["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        var refunds = (await silo.PostAsync("query($c: String!) { transactions(cardUid: $c, kind: REFUND) { items { operationId } } }", new { c = card }, net.Admin))
            .Data()["transactions"]!["items"]!.AsArray();
        Assert.Equal(2, refunds.Count);
        Assert.All(refunds, t => Assert.Equal(refund["operationId"]!.GetValue<string>(), t!["operationId"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, long> { [Fed] = 200 }, await net.WalletBalancesAsync(venueWallet));
    }

    [Fact]
    public async Task A_void_empties_only_the_venues_own_tlf_and_tnf_and_fed()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await IssueFedAsync(here, await here.FundedCardAsync(300), 100);
        Assert.True((await RefillAsync(here, card, 200, "CASH", CashlessNetwork.NewKey(), asset: here.Tnf)).Data()["refill"]!["approved"]!.GetValue<bool>());
        Assert.True((await elsewhere.RefillAsync(card, 400, CashlessNetwork.NewKey())).Data()["refill"]!["approved"]!.GetValue<bool>());
        var wallet = await here.WalletOfAsync(card);
        var venueWallet = await here.VenueWalletAsync();

        var voided = (await RefundAsync(here, card, null, CashlessNetwork.NewKey())).Data()["refund"]!;

        Assert.True(voided["approved"]!.GetValue<bool>());
        // TLF and FED come back as cash, TNF is burned without cash, FED is owed to the venue.
        Assert.Equal(400, voided["cashReturned"]!.GetValue<long>());
        Assert.Equal(500, voided["burned"]!.GetValue<long>());
        Assert.Equal(100, voided["owedToVenue"]!.GetValue<long>());
        Assert.Equal(
            new[] { (here.Tlf, 300L, wallet, here.Tlf), (here.Tnf, 200L, wallet, here.Tnf), (Fed, 100L, wallet, venueWallet) }.Order(),
            Movements(voided).Order());
        Assert.Equal(new Dictionary<string, long> { [elsewhere.Tlf] = 400 }, await here.CardBalancesAsync(card));
        var voids = (await silo.PostAsync("query($c: String!) { transactions(cardUid: $c, kind: VOID) { items { assetId amount venueId } } }", new { c = card }, here.Admin))
            .Data()["transactions"]!["items"]!.AsArray();
        Assert.Equal(3, voids.Count);
        Assert.All(voids, t => Assert.Equal(here.Venue, t!["venueId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refund_beyond_the_cash_refundable_balance_is_declined_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        Assert.True((await RefillAsync(net, card, 500, "CASH", CashlessNetwork.NewKey(), asset: net.Tnf)).Data()["refill"]!["approved"]!.GetValue<bool>());
        var rows = await silo.LedgerRowsAsync();

        // 800 on the card, but only the 300 of TLF is refundable in cash.
        var refund = (await RefundAsync(net, card, 400, CashlessNetwork.NewKey())).Data()["refund"]!;

        Assert.False(refund["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", refund["reason"]!.GetValue<string>());
        Assert.Equal(0, refund["cashReturned"]!.GetValue<long>());
        Assert.Null(refund["operationId"]);
        Assert.Empty(Movements(refund));
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300, [net.Tnf] = 500 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task A_void_with_nothing_refundable_here_is_declined_and_moves_nothing()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await elsewhere.FundedCardAsync(700);
        var rows = await silo.LedgerRowsAsync();

        var voided = (await RefundAsync(here, card, null, CashlessNetwork.NewKey())).Data()["refund"]!;

        Assert.False(voided["approved"]!.GetValue<bool>());
        Assert.Equal("NOTHING_TO_REFUND", voided["reason"]!.GetValue<string>());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [elsewhere.Tlf] = 700 }, await here.CardBalancesAsync(card));
    }

    [Fact]
    public async Task A_refund_needs_a_cashier_card_of_the_venue_and_a_positive_amount()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var rows = await silo.LedgerRowsAsync();

        var wrongCashier = await RefundAsync(net, card, 100, CashlessNetwork.NewKey(), cashier: elsewhere.Cashier);
        var zero = await RefundAsync(net, card, 0, CashlessNetwork.NewKey());
        var negative = await RefundAsync(net, card, -100, CashlessNetwork.NewKey());

        Assert.Equal("FORBIDDEN", wrongCashier.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", zero.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", negative.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(300, await net.TlfBalanceAsync(card));
    }

    // ---------------------------------------------------------------- badge

    [Fact]
    public async Task A_badge_records_a_zero_movement_of_the_venue_bdg_to_the_venue()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var badge = (await net.AddAssetAsync("BDG")).Id;
        var card = await net.FundedCardAsync(300);
        var wallet = await net.WalletOfAsync(card);
        var venueWallet = await net.VenueWalletAsync();
        var rows = await silo.LedgerRowsAsync();

        var result = (await silo.PostAsync(Badge, new { k = CashlessNetwork.NewKey(), v = net.Venue, card, asset = badge }, net.Admin)).Data()["badge"]!;

        Assert.True(result["approved"]!.GetValue<bool>());
        Assert.Equal("BADGE", result["kind"]!.GetValue<string>());
        Assert.Equal([(badge, 0L, wallet, venueWallet)], Movements(result));
        Assert.Equal(rows + 1, await silo.LedgerRowsAsync());
        var recorded = (await silo.PostAsync("query($v: ID!, $c: String!) { transactions(venueId: $v, cardUid: $c, kind: BADGE) { items { operationId assetId amount } } }",
            new { v = net.Venue, c = card }, net.Admin)).Data()["transactions"]!["items"]!.AsArray().Single()!;
        Assert.Equal(result["operationId"]!.GetValue<string>(), recorded["operationId"]!.GetValue<string>());
        Assert.Equal(badge, recorded["assetId"]!.GetValue<string>());
        Assert.Equal(0, recorded["amount"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task A_badge_with_an_asset_that_is_not_a_bdg_of_the_venue_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var otherBadge = (await elsewhere.AddAssetAsync("BDG")).Id;
        var card = await net.FundedCardAsync(300);
        var rows = await silo.LedgerRowsAsync();

        var tlf = await silo.PostAsync(Badge, new { k = CashlessNetwork.NewKey(), v = net.Venue, card, asset = net.Tlf }, net.Admin);
        var foreign = await silo.PostAsync(Badge, new { k = CashlessNetwork.NewKey(), v = net.Venue, card, asset = otherBadge }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", tlf.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", foreign.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.CardBalancesAsync(card));
    }
}

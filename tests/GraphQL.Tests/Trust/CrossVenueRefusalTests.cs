using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Trust;

/// <summary>
/// Venue A's customer Y owns a funded, linked card and has an anonymous funded card in hand at A. Staff of venue B (cashier,
/// admin, the device key of B's till) and another customer X try to change who owns that money, move it or read it. Every
/// attempt is refused with its code and writes nothing: no ledger row, no card change, no pending link, no mail, the same
/// balances.
/// </summary>
[Collection(OwnershipCollection.Name)]
public sealed class CrossVenueRefusalTests(OwnershipSiloFixture silo)
{
    private const string StartLink = "mutation($i: StartCardLinkInput!) { startCardLink(input: $i) { uid } }";
    private const string LinkMine = "mutation($i: LinkMyCardInput!) { linkMyCard(input: $i) { userWalletId } }";
    private const string Confirm = "mutation($i: ConfirmCardLinkInput!) { confirmCardLink(input: $i) { userWalletId } }";
    private const string DeclareLost = "mutation($i: DeclareMyCardLostInput!) { declareMyCardLost(input: $i) { state } }";
    private const string Block = "mutation($i: BlockCardInput!) { blockCard(input: $i) { uid } }";
    private const string Unblock = "mutation($i: UnblockCardInput!) { unblockCard(input: $i) { uid } }";
    private const string Refund =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String, $q: String) { refund(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, cardQrId: $q) { approved } }";
    private const string WalletOfCard = "query($c: String!, $v: ID) { wallet(cardUid: $c, venueId: $v) { balances { amount } } }";
    private const string WalletById = "query($w: ID!) { wallet(id: $w) { balances { amount } } }";
    private const string CardQuery = "query($u: String!) { card(uid: $u) { walletId } }";

    /// <summary>Who tries.</summary>
    public enum Actor
    {
        CashierOfB,
        AdminOfB,
        DeviceOfB,
        CustomerX,
    }

    public static TheoryData<Actor, string, string> Cases => new()
    {
        // Linking a card of venue A's customer: at A's counter, at B's counter, by the owner's own mutations, by Y's mailed code.
        { Actor.CashierOfB, "start link at A", "FORBIDDEN" },
        { Actor.AdminOfB, "start link at A", "FORBIDDEN" },
        { Actor.DeviceOfB, "start link at A", "FORBIDDEN" },
        { Actor.CashierOfB, "start link of Y's card at B", "CONFLICT" },
        { Actor.AdminOfB, "start link of Y's card at B", "CONFLICT" },
        { Actor.CashierOfB, "link Y's card as mine", "FORBIDDEN" },
        { Actor.DeviceOfB, "link Y's card as mine", "FORBIDDEN" },
        { Actor.CustomerX, "link Y's card as mine", "CONFLICT" },
        { Actor.CustomerX, "start link of Y's card at B", "FORBIDDEN" },
        { Actor.CustomerX, "confirm a link mailed to another", "FORBIDDEN" },
        // Re-linking Y's balance to another card: only Y, signed in, may add a card to a wallet with cards and a balance.
        { Actor.CashierOfB, "re-link Y's balance at B", "CONFLICT" },
        { Actor.AdminOfB, "re-link Y's balance at B", "CONFLICT" },
        { Actor.CustomerX, "re-link Y's balance at B", "FORBIDDEN" },
        // Declaring lost is the owner's; blocking stops at the venue; lifting a block is the blocking venue's.
        { Actor.CashierOfB, "declare Y's card lost", "FORBIDDEN" },
        { Actor.AdminOfB, "declare Y's card lost", "FORBIDDEN" },
        { Actor.DeviceOfB, "declare Y's card lost", "FORBIDDEN" },
        { Actor.CustomerX, "declare Y's card lost", "FORBIDDEN" },
        { Actor.CashierOfB, "block at A", "FORBIDDEN" },
        { Actor.DeviceOfB, "block at B", "FORBIDDEN" },
        { Actor.AdminOfB, "unblock A's block", "FORBIDDEN" },
        // Refunds: at A's counter, or at B's without the card present.
        { Actor.CashierOfB, "refund at A", "FORBIDDEN" },
        { Actor.AdminOfB, "refund at A", "FORBIDDEN" },
        { Actor.DeviceOfB, "refund at A", "FORBIDDEN" },
        { Actor.CashierOfB, "refund at B without the card", "CARD_PROOF_REQUIRED" },
        { Actor.AdminOfB, "refund at B with a wrong secret", "CARD_PROOF_REQUIRED" },
        { Actor.CustomerX, "refund at B without the card", "FORBIDDEN" },
        // Reads.
        { Actor.CashierOfB, "read Y's card wallet as A", "FORBIDDEN" },
        { Actor.AdminOfB, "read Y's card wallet as A", "FORBIDDEN" },
        { Actor.DeviceOfB, "read Y's card wallet as A", "FORBIDDEN" },
        { Actor.AdminOfB, "read Y's whole wallet", "FORBIDDEN" },
        { Actor.CustomerX, "read Y's whole wallet", "FORBIDDEN" },
        { Actor.CustomerX, "read Y's card wallet", "FORBIDDEN" },
        { Actor.CustomerX, "read Y's card", "FORBIDDEN" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_and_nothing_written(Actor actor, string attempt, string code)
    {
        var a = await CashlessNetwork.CreateAsync(silo.Client);
        var b = await CashlessNetwork.CreateAsync(silo.Client);
        var (y, yBearer) = silo.NewCustomer();
        var (x, xBearer) = silo.NewCustomer();
        var owned = await a.FundedCardAsync(700);
        var userWallet = (await silo.LinkMyCardAsync(owned, yBearer)).Data()["linkMyCard"]!["userWalletId"]!.GetValue<string>();
        var anonymous = await a.FundedCardAsync(300);
        var xCard = await a.FundedCardAsync(40);
        (await silo.LinkMyCardAsync(xCard, xBearer)).Data();
        // A pending link of the anonymous card at A's counter, mailed to a new customer's address (typed in upper case).
        var (z, _) = silo.NewCustomer();
        (await silo.PostAsync(StartLink, new { i = new { venueId = a.Venue, uid = anonymous, email = z.ToUpperInvariant(), idempotencyKey = CashlessNetwork.NewKey() } }, a.Admin)).Data();
        var yToken = silo.Mail.LastLinkToken(z);
        (await silo.PostAsync(Block, new { i = new { venueId = a.Venue, uid = xCard, reason = "checked at the door" } }, a.Admin)).Data();
        var caller = actor switch
        {
            Actor.CashierOfB => await silo.StaffAsync(b.Venue, "CASHIER"),
            Actor.AdminOfB => await silo.StaffAsync(b.Venue, "ADMIN"),
            Actor.DeviceOfB => "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"B's reader\") { key } }",
                new { v = b.Venue }, b.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>(),
            _ => xBearer,
        };
        var before = await SnapshotAsync(a, userWallet, owned, anonymous, xCard, y, z);

        var response = attempt switch
        {
            "start link at A" => await silo.PostAsync(StartLink, new { i = new { venueId = a.Venue, uid = anonymous, email = x, idempotencyKey = CashlessNetwork.NewKey() } }, caller),
            "start link of Y's card at B" => await silo.PostAsync(StartLink, new { i = new { venueId = b.Venue, uid = owned, email = x, idempotencyKey = CashlessNetwork.NewKey() } }, caller),
            "link Y's card as mine" => await silo.PostAsync(LinkMine, new { i = new { idempotencyKey = CashlessNetwork.NewKey(), qrId = "qr-" + owned } }, caller),
            "confirm a link mailed to another" => await silo.PostAsync(Confirm, new { i = new { token = yToken } }, caller),
            "re-link Y's balance at B" => await silo.PostAsync(StartLink, new { i = new { venueId = b.Venue, uid = anonymous, email = y, idempotencyKey = CashlessNetwork.NewKey() } }, caller),
            "declare Y's card lost" => await silo.PostAsync(DeclareLost, new { i = new { uid = owned } }, caller),
            "block at A" => await silo.PostAsync(Block, new { i = new { venueId = a.Venue, uid = owned, reason = "no reason" } }, caller),
            "block at B" => await silo.PostAsync(Block, new { i = new { venueId = b.Venue, uid = owned, reason = "no reason" } }, caller),
            "unblock A's block" => await silo.PostAsync(Unblock, new { i = new { venueId = b.Venue, uid = xCard } }, caller),
            "refund at A" => await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = a.Venue, c = a.Cashier, card = owned }, caller),
            "refund at B without the card" => await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = b.Venue, c = b.Cashier, card = owned }, caller),
            "refund at B with a wrong secret" => await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = b.Venue, c = b.Cashier, card = owned, q = "qr-" + anonymous }, caller),
            "read Y's card wallet as A" => await silo.PostAsync(WalletOfCard, new { c = owned, v = a.Venue }, caller),
            "read Y's whole wallet" => await silo.PostAsync(WalletById, new { w = userWallet }, caller),
            "read Y's card wallet" => await silo.PostAsync(WalletOfCard, new { c = owned, v = (string?)null }, caller),
            "read Y's card" => await silo.PostAsync(CardQuery, new { u = owned }, caller),
            _ => throw new ArgumentOutOfRangeException(nameof(attempt), attempt, null),
        };

        Assert.Equal(code, response.ErrorCode());
        Assert.Equal(before, await SnapshotAsync(a, userWallet, owned, anonymous, xCard, y, z));
    }

    /// <summary>Everything a refused attempt could have written, as one comparable string.</summary>
    private async Task<string> SnapshotAsync(CashlessNetwork a, string userWallet, string owned, string anonymous, string xCard, string y, string z)
    {
        var cards = new[] { owned, anonymous, xCard };
        var parts = new List<object>
        {
            await silo.LedgerRowsAsync(),
            await silo.ScalarAsync("SELECT count(*) FROM card_link_requests"),
            await silo.ScalarAsync("SELECT coalesce(sum(version), 0) FROM cards WHERE uid = ANY($1)", (object)cards),
            await silo.ScalarAsync("SELECT count(*) FROM card_link_requests WHERE confirmed_at IS NOT NULL AND uid = ANY($1)", (object)cards),
            silo.Mail.To(y).Count,
            silo.Mail.To(z).Count,
            string.Join(',', (await a.WalletBalancesAsync(userWallet)).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")),
            await a.TlfBalanceAsync(anonymous),
        };
        return string.Join('|', parts);
    }
}

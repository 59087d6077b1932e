using System.Security.Cryptography;

namespace TiBillet.Testing;

/// <summary>A fresh venue with TLF and TNF, a till "bar", a cashier card and customer cards, built through the public API only.</summary>
public sealed class CashlessNetwork
{
    private CashlessNetwork(GraphQLTestClient silo, string admin, string venue, string tlf, string tnf, string cashier)
    {
        Silo = silo;
        Admin = admin;
        Venue = venue;
        Tlf = tlf;
        Tnf = tnf;
        Cashier = cashier;
    }

    public GraphQLTestClient Silo { get; }

    /// <summary>Authorization header of the instance admin.</summary>
    public string Admin { get; }

    public string Venue { get; }

    public string Tlf { get; }

    public string Tnf { get; }

    public string Cashier { get; }

    public static string NewUid() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public static string NewKey() => "k-" + Guid.NewGuid().ToString("N");

    public static async Task<CashlessNetwork> CreateAsync(GraphQLTestClient silo)
    {
        var admin = await silo.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var venue = "v-" + Guid.NewGuid().ToString("N")[..12];
        (await silo.PostAsync("mutation($v: ID!) { createVenue(id: $v, name: \"Test venue\") { id } }", new { v = venue }, admin)).Data();
        var tlf = (await silo.PostAsync("mutation($v: ID!) { addAsset(venueId: $v, kind: TLF, name: \"Euro local\") { id } }", new { v = venue }, admin))
            .Data()["addAsset"]!["id"]!.GetValue<string>();
        var tnf = (await silo.PostAsync("mutation($v: ID!) { addAsset(venueId: $v, kind: TNF, name: \"Cadeau\") { id } }", new { v = venue }, admin))
            .Data()["addAsset"]!["id"]!.GetValue<string>();
        var network = new CashlessNetwork(silo, admin, venue, tlf, tnf, await NewCardAsync(silo, admin));
        (await silo.PostAsync("mutation($v: ID!, $u: String!) { grantCashierCard(venueId: $v, uid: $u) { uid } }", new { v = venue, u = network.Cashier }, admin)).Data();
        (await silo.PostAsync("mutation($v: ID!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: \"bar\", name: \"Bar\" }) { name } }", new { v = venue }, admin)).Data();
        return network;
    }

    /// <summary>Registers a new blank card and returns its UID.</summary>
    public static async Task<string> NewCardAsync(GraphQLTestClient silo, string admin)
    {
        var uid = NewUid();
        var number = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        var report = (await silo.PostAsync("mutation($c: [NewCardInput!]!) { registerCards(cards: $c) { registered errors { code } } }",
            new { c = new[] { new { uid, number, qrId = "qr-" + uid } } }, admin)).Data();
        if (report["registerCards"]!["registered"]!.GetValue<int>() != 1)
        {
            throw new InvalidOperationException($"Card {uid} was not registered: {report.ToJsonString()}");
        }

        return uid;
    }

    /// <summary>A new card topped up with <paramref name="cents"/> of the venue's TLF.</summary>
    public async Task<string> FundedCardAsync(long cents)
    {
        var card = await NewCardAsync(Silo, Admin);
        var refill = await RefillAsync(card, cents, NewKey());
        if (!refill.Data()["refill"]!["approved"]!.GetValue<bool>())
        {
            throw new InvalidOperationException($"Funding card {card} was declined: {refill.Body.ToJsonString()}");
        }

        return card;
    }

    public Task<GraphQLResponse> RefillAsync(string card, long cents, string key, string? authorization = null) =>
        Silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long!) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a, means: CASH) { approved operationId balances { assetId amount } } }",
            new { k = key, v = Venue, c = Cashier, card, a = cents }, authorization ?? Admin);

    public Task<GraphQLResponse> PayAsync(string card, long unitPrice, int quantity, string key, string? authorization = null, string? cashier = null) =>
        Silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $l: [SaleLineInput!]!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: $l) { approved reason total paidByCard shortfall operationId balances { assetId amount } } }",
            new { k = key, v = Venue, c = cashier ?? Cashier, card, l = new[] { new { label = "Bière", quantity, unitPrice } } }, authorization ?? Admin);

    /// <summary>The card's balance in the venue's TLF, read through the API.</summary>
    public async Task<long> TlfBalanceAsync(string card)
    {
        var wallet = (await Silo.PostAsync("query($c: String!, $v: ID!) { wallet(cardUid: $c, venueId: $v) { balances { assetId amount } } }",
            new { c = card, v = Venue }, Admin)).Data()["wallet"]!["balances"]!.AsArray();
        return wallet.Where(b => b!["assetId"]!.GetValue<string>() == Tlf).Select(b => b!["amount"]!.GetValue<long>()).SingleOrDefault();
    }
}

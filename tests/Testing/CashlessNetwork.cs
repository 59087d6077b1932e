using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TiBillet.Grains.Common;

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

    /// <summary>The FED asset's id, the same on every instance.</summary>
    public static readonly string Fed = AssetId.Federated.ToString();

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
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $l: [BasketLineInput!]!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: $l) { approved reason total paidByCard shortfall operationId balances { assetId amount } } }",
            new { k = key, v = Venue, c = cashier ?? Cashier, card, l = new[] { new { label = "Bière", quantity, unitPrice } } }, authorization ?? Admin);

    /// <summary>The card's balance in the venue's TLF, read through the API.</summary>
    public async Task<long> TlfBalanceAsync(string card) => (await CardBalancesAsync(card, Venue)).GetValueOrDefault(Tlf);

    /// <summary>The id of the wallet the card pays from, read through the API.</summary>
    public async Task<string> WalletOfAsync(string card) =>
        (await Silo.PostAsync("query($u: String!) { card(uid: $u) { walletId } }", new { u = card }, Admin)).Data()["card"]!["walletId"]!.GetValue<string>();

    /// <summary>The id of the venue's own wallet (where sales land), read through the API.</summary>
    public async Task<string> VenueWalletAsync() =>
        (await Silo.PostAsync("query($v: ID!) { venue(id: $v) { walletId } }", new { v = Venue }, Admin)).Data()["venue"]!["walletId"]!.GetValue<string>();

    /// <summary>
    /// The card's non-zero balances by asset id, read by the instance admin: as seen at <paramref name="venue"/> (only the
    /// assets it accepts), or everywhere when it is null.
    /// </summary>
    public async Task<Dictionary<string, long>> CardBalancesAsync(string card, string? venue = null) =>
        Balances((await Silo.PostAsync("query($c: String!, $v: ID) { wallet(cardUid: $c, venueId: $v) { balances { assetId amount } } }",
            new { c = card, v = venue }, Admin)).Data()["wallet"]!["balances"]!);

    /// <summary>Every non-zero balance of a wallet by asset id, read by the instance admin without a venue filter.</summary>
    public async Task<Dictionary<string, long>> WalletBalancesAsync(string wallet) =>
        Balances((await Silo.PostAsync("query($w: ID!) { wallet(id: $w) { balances { assetId amount } } }", new { w = wallet }, Admin)).Data()["wallet"]!["balances"]!);

    /// <summary>A <c>balances { assetId amount }</c> list as a dictionary, to compare whole with one assertion.</summary>
    public static Dictionary<string, long> Balances(JsonNode balances) =>
        balances.AsArray().ToDictionary(b => b!["assetId"]!.GetValue<string>(), b => b!["amount"]!.GetValue<long>());

    /// <summary>An operation result's <c>movements { assetId amount fromWalletId toWalletId }</c> as tuples, in the order given.</summary>
    public static (string Asset, long Amount, string From, string To)[] Movements(JsonNode result) =>
        [.. result["movements"]!.AsArray().Select(m => (m!["assetId"]!.GetValue<string>(), m["amount"]!.GetValue<long>(), m["fromWalletId"]!.GetValue<string>(), m["toWalletId"]!.GetValue<string>()))];

    /// <summary>
    /// The instance admin issues <paramref name="amount"/> of <paramref name="asset"/> into <paramref name="wallet"/> from the
    /// asset's mint (how a test gives a card FED); throws if it is declined.
    /// </summary>
    public async Task IssueAsync(string wallet, string asset, long amount)
    {
        var issued = (await Silo.PostAsync("mutation($k: String!, $w: ID!, $a: ID!, $n: Long!) { issue(idempotencyKey: $k, walletId: $w, assetId: $a, amount: $n) { approved } }",
            new { k = NewKey(), w = wallet, a = asset, n = amount }, Admin)).Data()["issue"]!;
        if (!issued["approved"]!.GetValue<bool>())
        {
            throw new InvalidOperationException($"Issuing {amount} of {asset} into {wallet} was declined: {issued.ToJsonString()}");
        }
    }

    /// <summary>Adds an asset of <paramref name="kind"/> (an <c>AssetKind</c> name) to the venue; returns its id and its mint wallet's id.</summary>
    public async Task<(string Id, string Mint)> AddAssetAsync(string kind)
    {
        var asset = (await Silo.PostAsync("mutation($v: ID!, $k: AssetKind!) { addAsset(venueId: $v, kind: $k, name: \"Asset\") { id mintWalletId } }", new { v = Venue, k = kind }, Admin))
            .Data()["addAsset"]!;
        return (asset["id"]!.GetValue<string>(), asset["mintWalletId"]!.GetValue<string>());
    }
}

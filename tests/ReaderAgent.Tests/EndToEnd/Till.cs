using System.Text.Json.Nodes;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;
using TiBillet.Testing;

namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>
/// A fresh venue (through the cashless API: TLF, a cashier card), one point of sale of it and a reader device registered
/// for that point of sale, plus the screen's and the ledger's view of it. Everything through the public GraphQL API.
/// </summary>
public sealed class Till
{
    public const string PointOfSaleCode = "bar";

    private Till(TapSiloFixture silo, CashlessNetwork network, Guid deviceId, string deviceKey)
    {
        Silo = silo;
        Network = network;
        DeviceId = deviceId;
        DeviceKey = deviceKey;
    }

    public TapSiloFixture Silo { get; }

    public CashlessNetwork Network { get; }

    public PointOfSaleId Id => new(new VenueId(Network.Venue), PointOfSaleCode);

    public Guid DeviceId { get; }

    /// <summary>The device key, as the reader agent is configured with it.</summary>
    public string DeviceKey { get; }

    /// <summary>The cashier card's UID.</summary>
    public string Cashier => Network.Cashier;

    public static async Task<Till> CreateAsync(TapSiloFixture silo)
    {
        // The network comes with its till "bar".
        var network = await CashlessNetwork.CreateAsync(silo.Client);
        var device = (await silo.PostAsync(
            "mutation($v: ID!, $p: ID!) { registerDevice(venueId: $v, pointOfSaleId: $p, name: \"Bar reader\") { id key } }",
            new { v = network.Venue, p = PointOfSaleCode },
            network.Admin)).Data()["registerDevice"]!;
        return new Till(silo, network, Guid.Parse(device["id"]!.GetValue<string>()), device["key"]!.GetValue<string>());
    }

    /// <summary>A new card topped up with <paramref name="cents"/> of the venue's TLF.</summary>
    public Task<string> FundedCardAsync(long cents) => Network.FundedCardAsync(cents);

    /// <summary>A new registered card with nothing on it.</summary>
    public Task<string> BlankCardAsync() => CashlessNetwork.NewCardAsync(Silo.Client, Network.Admin);

    /// <summary>The screen asks for a payment of one line (as a cashier would, with the admin's rights).</summary>
    public async Task<JsonObject> RequestPaymentAsync(string label, int quantity, long unitPrice)
    {
        var data = (await Silo.PostAsync(
            "mutation($i: RequestPaymentInput!) { requestPayment(input: $i) { pendingRequest { id amount } } }",
            new { i = new { venueId = Network.Venue, pointOfSaleId = PointOfSaleCode, lines = new[] { new { label, quantity, unitPrice } } } },
            Network.Admin)).Data();
        return data["requestPayment"]!["pendingRequest"]!.AsObject();
    }

    /// <summary>The point of sale as a screen reads it.</summary>
    public async Task<JsonObject> DetailsAsync() =>
        (await Silo.PostAsync(
            "query($v: ID!, $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { tillOpen cashierCardUid pendingRequest { id amount } } }",
            new { v = Network.Venue, p = PointOfSaleCode },
            Network.Admin)).Data()["pointOfSale"]!.AsObject();

    public Task<long> TlfBalanceAsync(string card) => Network.TlfBalanceAsync(card);

    /// <summary>Ledger operations carrying the idempotency key of this till's pending <paramref name="request"/> (as <see cref="RequestPaymentAsync"/> returned it).</summary>
    public Task<long> OperationsOfRequestAsync(JsonObject request) =>
        Silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1",
            PointOfSaleGrain.RequestKey(Id, Guid.Parse(request["id"]!.GetValue<string>())).Value);

    /// <summary>Sale movements of <paramref name="card"/> in the ledger: how many, and their total.</summary>
    public async Task<(long Count, long Total)> SalesOfCardAsync(string card) =>
        (await Silo.ScalarAsync("SELECT count(*) FROM ledger_transactions WHERE card_uid = $1 AND kind = 2", card),
         await Silo.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE card_uid = $1 AND kind = 2", card));
}

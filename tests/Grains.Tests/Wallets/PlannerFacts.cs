using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Facts the planners decide on, built in memory: a venue with its TLF, TNF and BDG, and FED.</summary>
internal static class PlannerFacts
{
    public static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static readonly VenueId Venue = new("planner-venue");

    public static readonly CardUid Card = new("04A1B2C3");

    public static readonly CardUid Cashier = new("04CA5E01");

    public static readonly AssetDetails Tlf = Asset(AssetKind.TLF, Venue);

    public static readonly AssetDetails Tnf = Asset(AssetKind.TNF, Venue);

    public static readonly AssetDetails Bdg = Asset(AssetKind.BDG, Venue);

    public static readonly AssetDetails Fed = new(AssetId.Federated, AssetKind.FED, "FED", null, false, At);

    public static readonly VenuePaymentProfile Profile = new(
        Venue, WalletId.OfVenue(Venue), [Tlf, Tnf, Bdg], [Tlf, Tnf, Bdg, Fed], [Tnf.Id, Tlf.Id, AssetId.Federated]);

    public static AssetDetails Asset(AssetKind kind, VenueId? issuer, bool archived = false) => new(AssetId.New(), kind, kind.ToString(), issuer, archived, At);

    public static WalletView Wallet(params (AssetId Asset, long Amount)[] balances) =>
        new(WalletId.New(), balances.ToDictionary(b => b.Asset, b => b.Amount));

    public static SaleRequest Sale(long total, PaymentMeans complement = PaymentMeans.None, CardUid? second = null) =>
        new(new IdempotencyKey("k-" + Guid.NewGuid().ToString("N")), Venue, Cashier, [new SaleLine("Bière", 1, total)], complement, second);

    public static IdempotencyKey Key() => new("k-" + Guid.NewGuid().ToString("N"));

    public static ImmutableArray<AssetBalance> Balances(params (AssetId Asset, long Amount)[] balances) =>
        [.. balances.Where(b => b.Amount != 0).OrderBy(b => b.Asset.Value).Select(b => new AssetBalance(b.Asset, b.Amount))];
}

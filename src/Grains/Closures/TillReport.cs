using System.Collections.Immutable;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Closures;

/// <summary>A total of one kind of sale line for one product, category, point of sale or cashier.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.ReportGroup")]
public sealed record ReportGroup(SaleLineKind Kind, string Key, string Label, long Quantity, long Amount);

/// <summary>What one means of payment (and, for cards, one asset) paid, for one kind of line.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.MeansTotal")]
public sealed record MeansTotal(SaleLineKind Kind, SaleLineMeans Means, Guid? Asset, long Amount);

/// <summary>Units and cents of one kind of line (sales, top-ups, refunds, deposit returns, voids, badges).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.KindTotal")]
public sealed record KindTotal(SaleLineKind Kind, long Lines, long Quantity, long Amount);

/// <summary>VAT of one rate (basis points): gross as sold, the VAT it includes, and the net.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.VatTotal")]
public sealed record VatTotal(int Rate, long Net, long Vat, long Gross);

/// <summary>The ledger's view of the period: per operation kind and asset, what moved; per kind and means, what was paid outside cards.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.LedgerTotal")]
public sealed record LedgerTotal(TransactionKind Kind, Guid? Asset, PaymentMeans Means, long Operations, long Amount);

/// <summary>
/// A till report over a period [<see cref="From"/>, <see cref="To"/>) of one venue: sale lines grouped every way a Z
/// report needs, the VAT breakdown, the ledger's totals for the same period, cash expected and counted.
/// <see cref="MatchesLedger"/> says the sale lines and the ledger agree to the cent for every till operation.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.TillReport")]
public sealed record TillReport(
    string Venue,
    DateTimeOffset From,
    DateTimeOffset To,
    long Lines,
    ImmutableArray<KindTotal> ByKind,
    ImmutableArray<ReportGroup> ByProduct,
    ImmutableArray<ReportGroup> ByCategory,
    ImmutableArray<ReportGroup> ByPointOfSale,
    ImmutableArray<ReportGroup> ByCashier,
    ImmutableArray<MeansTotal> ByMeans,
    ImmutableArray<VatTotal> Vat,
    ImmutableArray<LedgerTotal> Ledger,
    long DistinctCards,
    long OpeningFloats,
    long CashExpected,
    long CashCounted,
    bool MatchesLedger);

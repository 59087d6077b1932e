using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Closures;

/// <summary>Turns the report queries' rows into a <see cref="TillReport"/>, and checks sale lines against the ledger. Pure.</summary>
public static class TillReportBuilder
{
    // GROUPING() bits, most significant first: product_id, product_name, category_id, category_name, point_of_sale_id,
    // cashier, means, asset_id, vat_rate, ledger_kind. A set's value has the bits of its own columns cleared.
    private const int KindSet = 0b11_1111_1111;
    private const int ProductSet = 0b00_1111_1111;
    private const int CategorySet = 0b11_0011_1111;
    private const int PointOfSaleSet = 0b11_1101_1111;
    private const int CashierSet = 0b11_1110_1111;
    private const int MeansSet = 0b11_1111_0010;
    private const int VatSet = 0b11_1111_1101;

    /// <summary>One row of the sale lines' GROUPING SETS query.</summary>
    public sealed record LineRow(
        int Grouping, SaleLineKind Kind, Guid? Product, string? ProductName, Guid? Category, string? CategoryName,
        string? PointOfSale, string? Cashier, SaleLineMeans? Means, Guid? Asset, int? VatRate, long Lines, long Quantity, long Amount,
        TransactionKind? LedgerKind = null);

    /// <summary>What the lines of one kind settled in one means (and asset) within operations of one ledger kind (null: not recorded).</summary>
    public sealed record SettledTotal(SaleLineKind Kind, TransactionKind? LedgerKind, SaleLineMeans Means, Guid? Asset, long Amount);

    /// <summary>The ledger kind a till line is recorded under when its row does not say, and the sign of its amount there.</summary>
    public static (TransactionKind Kind, int Sign) LedgerKindOf(SaleLineKind kind) => kind switch
    {
        SaleLineKind.Sale or SaleLineKind.DepositReturn or SaleLineKind.Membership => (TransactionKind.Sale, 1),
        SaleLineKind.TopUp => (TransactionKind.Refill, 1),
        SaleLineKind.Refund => (TransactionKind.Void, -1),
        SaleLineKind.Void => (TransactionKind.Refund, -1),
        SaleLineKind.Badge => (TransactionKind.Badge, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The sign of a line's amount in the ledger operation of <paramref name="ledger"/> kind that settled it: money the
    /// customer paid counts positive in a sale or top-up; money given back (a refund, a void, a deposit credited to a card
    /// as a top-up of the venue's euro) is a negative line for a positive ledger amount.
    /// </summary>
    public static int SignIn(TransactionKind ledger, SaleLineKind kind) =>
        ledger is TransactionKind.Refund or TransactionKind.Void || (ledger == TransactionKind.Refill && kind == SaleLineKind.DepositReturn) ? -1 : 1;

    /// <summary>Whether a kind of line is a taxable sale (top-ups and refunds move money, they sell nothing).</summary>
    public static bool IsTaxable(SaleLineKind kind) => kind is SaleLineKind.Sale or SaleLineKind.DepositReturn or SaleLineKind.Void or SaleLineKind.Membership;

    /// <summary>The VAT included in a gross amount at a rate in basis points, rounded half away from zero.</summary>
    public static long VatIncluded(long gross, int rate) =>
        (long)Math.Round(gross * (decimal)rate / (10_000 + rate), MidpointRounding.AwayFromZero);

    public static TillReport Build(
        VenueId venue, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<LineRow> rows, IReadOnlyList<LedgerTotal> ledger,
        IReadOnlyList<LedgerTotal> tillLedger, long distinctCards, long openingFloats, long cashCounted)
    {
        ImmutableArray<ReportGroup> Groups(int set, Func<LineRow, (string Key, string Label)> key) =>
        [
            .. rows.Where(r => r.Grouping == set)
                .Select(r => (Row: r, Id: key(r)))
                .OrderBy(r => r.Row.Kind).ThenBy(r => r.Id.Label, StringComparer.Ordinal).ThenBy(r => r.Id.Key, StringComparer.Ordinal)
                .Select(r => new ReportGroup(r.Row.Kind, r.Id.Key, r.Id.Label, r.Row.Quantity, r.Row.Amount)),
        ];

        var byKind = rows.Where(r => r.Grouping == KindSet).OrderBy(r => r.Kind).Select(r => new KindTotal(r.Kind, r.Lines, r.Quantity, r.Amount)).ToImmutableArray();
        var settled = rows.Where(r => r.Grouping == MeansSet).Select(r => new SettledTotal(r.Kind, r.LedgerKind, r.Means!.Value, r.Asset, r.Amount)).ToList();
        var byMeans = settled.GroupBy(r => (r.Kind, r.Means, r.Asset)).OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Means).ThenBy(g => g.Key.Asset)
            .Select(g => new MeansTotal(g.Key.Kind, g.Key.Means, g.Key.Asset, g.Sum(r => r.Amount))).ToImmutableArray();
        var vat = rows.Where(r => r.Grouping == VatSet && IsTaxable(r.Kind))
            .GroupBy(r => r.VatRate ?? 0)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var gross = g.Sum(r => r.Amount);
                var included = VatIncluded(gross, g.Key);
                return new VatTotal(g.Key, gross - included, included, gross);
            })
            .ToImmutableArray();

        var cashExpected = openingFloats + ledger.Where(l => l.Means == PaymentMeans.Cash).Sum(l => CashSign(l.Kind) * l.Amount);
        return new TillReport(
            venue.Value, from, to, byKind.Sum(k => k.Lines), byKind,
            Groups(ProductSet, r => (r.Product?.ToString() ?? "", r.ProductName ?? "")),
            Groups(CategorySet, r => (r.Category?.ToString() ?? "", r.CategoryName ?? "")),
            Groups(PointOfSaleSet, r => (r.PointOfSale ?? "", r.PointOfSale ?? "")),
            Groups(CashierSet, r => (r.Cashier ?? "", r.Cashier ?? "")),
            byMeans, vat,
            [.. ledger.Where(l => l.Amount != 0 || l.Kind == TransactionKind.Badge).OrderBy(l => l.Kind).ThenBy(l => l.Means).ThenBy(l => l.Asset)],
            distinctCards, openingFloats, cashExpected, cashCounted,
            Matches(settled, tillLedger));
    }

    /// <summary>
    /// Whether the till's sale lines and the ledger operations that wrote them agree to the cent: per ledger kind and asset
    /// for card money, per ledger kind and means for money paid outside cards.
    /// </summary>
    public static bool Matches(IEnumerable<MeansTotal> byMeans, IEnumerable<LedgerTotal> tillLedger) =>
        Matches(byMeans.Select(m => new SettledTotal(m.Kind, null, m.Means, m.Asset, m.Amount)), tillLedger);

    /// <summary>
    /// As above, each total under the ledger kind its rows recorded. A row paid in cash or by bank card that names an asset
    /// (a top-up, a card emptied for cash) moved that asset on the card as well: it is expected on both sides.
    /// </summary>
    public static bool Matches(IEnumerable<SettledTotal> settled, IEnumerable<LedgerTotal> tillLedger)
    {
        var expected = new Dictionary<(TransactionKind, Guid?, PaymentMeans), long>();
        foreach (var m in settled)
        {
            var kind = m.LedgerKind ?? LedgerKindOf(m.Kind).Kind;
            var amount = SignIn(kind, m.Kind) * m.Amount;
            if (m.Means == SaleLineMeans.Card || m.Asset is not null)
            {
                Add((kind, m.Asset, PaymentMeans.None), amount);
            }

            if (m.Means != SaleLineMeans.Card)
            {
                Add((kind, null, m.Means == SaleLineMeans.Cash ? PaymentMeans.Cash : PaymentMeans.BankCard), amount);
            }
        }

        void Add((TransactionKind, Guid?, PaymentMeans) key, long amount) => expected[key] = expected.GetValueOrDefault(key) + amount;

        var actual = new Dictionary<(TransactionKind, Guid?, PaymentMeans), long>();
        foreach (var l in tillLedger)
        {
            var key = (l.Kind, l.Asset, l.Means);
            actual[key] = actual.GetValueOrDefault(key) + l.Amount;
        }

        static IEnumerable<KeyValuePair<(TransactionKind, Guid?, PaymentMeans), long>> NonZero(Dictionary<(TransactionKind, Guid?, PaymentMeans), long> d) =>
            d.Where(e => e.Value != 0).OrderBy(e => e.Key.Item1).ThenBy(e => e.Key.Item2).ThenBy(e => e.Key.Item3);

        return NonZero(expected).SequenceEqual(NonZero(actual));
    }

    private static int CashSign(TransactionKind kind) => kind switch
    {
        TransactionKind.Refund or TransactionKind.Void or TransactionKind.Correction => -1,
        _ => 1,
    };
}

using GraphQL.Types;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Till;
using TiBillet.GraphQL.Ledger;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Closures;

public sealed class SaleLineKindGraphType : EnumerationGraphType<SaleLineKind>
{
    public SaleLineKindGraphType() => Name = "SaleLineKind";
}

public sealed class SaleLineMeansGraphType : EnumerationGraphType<SaleLineMeans>
{
    public SaleLineMeansGraphType() => Name = "SaleLineMeans";
}

public sealed class ReportGroupGraphType : ObjectGraphType<ReportGroup>
{
    public ReportGroupGraphType()
    {
        Name = "ReportGroup";
        Field<NonNullGraphType<SaleLineKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("key").Description("Product or category id, point-of-sale id, or cashier user id.").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("label").Resolve(c => c.Source.Label);
        Field<NonNullGraphType<LongGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
    }
}

public sealed class MeansTotalGraphType : ObjectGraphType<MeansTotal>
{
    public MeansTotalGraphType()
    {
        Name = "MeansTotal";
        Field<NonNullGraphType<SaleLineKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<SaleLineMeansGraphType>>("means").Resolve(c => c.Source.Means);
        Field<IdGraphType>("assetId").Description("The asset, for card payments.").Resolve(c => c.Source.Asset?.ToString());
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
    }
}

public sealed class KindTotalGraphType : ObjectGraphType<KindTotal>
{
    public KindTotalGraphType()
    {
        Name = "KindTotal";
        Field<NonNullGraphType<SaleLineKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<LongGraphType>>("lines").Resolve(c => c.Source.Lines);
        Field<NonNullGraphType<LongGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
    }
}

public sealed class VatTotalGraphType : ObjectGraphType<VatTotal>
{
    public VatTotalGraphType()
    {
        Name = "VatTotal";
        Field<NonNullGraphType<IntGraphType>>("rate").Description("Basis points.").Resolve(c => c.Source.Rate);
        Field<NonNullGraphType<LongGraphType>>("net").Resolve(c => c.Source.Net);
        Field<NonNullGraphType<LongGraphType>>("vat").Resolve(c => c.Source.Vat);
        Field<NonNullGraphType<LongGraphType>>("gross").Resolve(c => c.Source.Gross);
    }
}

public sealed class LedgerTotalGraphType : ObjectGraphType<LedgerTotal>
{
    public LedgerTotalGraphType()
    {
        Name = "LedgerTotal";
        Field<NonNullGraphType<TransactionKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<IdGraphType>("assetId").Description("Card money moved, per asset; null for money paid outside cards.").Resolve(c => c.Source.Asset?.ToString());
        Field<NonNullGraphType<PaymentMeansGraphType>>("means").Resolve(c => c.Source.Means);
        Field<NonNullGraphType<LongGraphType>>("operations").Resolve(c => c.Source.Operations);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
    }
}

public sealed class TillReportGraphType : ObjectGraphType<TillReport>
{
    public TillReportGraphType()
    {
        Name = "TillReport";
        Description = "Sales of a period from the sale lines, with the ledger's totals for the same period.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from").Resolve(c => c.Source.From);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to").Resolve(c => c.Source.To);
        Field<NonNullGraphType<LongGraphType>>("lines").Resolve(c => c.Source.Lines);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindTotalGraphType>>>>("byKind").Resolve(c => c.Source.ByKind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportGroupGraphType>>>>("byProduct").Resolve(c => c.Source.ByProduct);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportGroupGraphType>>>>("byCategory").Resolve(c => c.Source.ByCategory);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportGroupGraphType>>>>("byPointOfSale").Resolve(c => c.Source.ByPointOfSale);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportGroupGraphType>>>>("byCashier").Resolve(c => c.Source.ByCashier);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeansTotalGraphType>>>>("byMeans").Resolve(c => c.Source.ByMeans);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VatTotalGraphType>>>>("vat").Resolve(c => c.Source.Vat);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LedgerTotalGraphType>>>>("ledger").Resolve(c => c.Source.Ledger);
        Field<NonNullGraphType<LongGraphType>>("distinctCards").Resolve(c => c.Source.DistinctCards);
        Field<NonNullGraphType<LongGraphType>>("openingFloats").Resolve(c => c.Source.OpeningFloats);
        Field<NonNullGraphType<LongGraphType>>("cashExpected").Resolve(c => c.Source.CashExpected);
        Field<NonNullGraphType<LongGraphType>>("cashCounted").Resolve(c => c.Source.CashCounted);
        Field<NonNullGraphType<BooleanGraphType>>("matchesLedger").Description("The till's sale lines and their ledger operations agree to the cent.").Resolve(c => c.Source.MatchesLedger);
    }
}

public sealed class TillClosureGraphType : ObjectGraphType<TillClosure>
{
    public TillClosureGraphType()
    {
        Name = "TillClosure";
        Description = "A Z closure: immutable.";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("number").Resolve(c => c.Source.Number);
        Field<NonNullGraphType<StringGraphType>>("businessDay").Resolve(c => c.Source.BusinessDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("periodStart").Resolve(c => c.Source.PeriodStart);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("periodEnd").Resolve(c => c.Source.PeriodEnd);
        Field<NonNullGraphType<StringGraphType>>("closedBy").Resolve(c => c.Source.ClosedBy);
        Field<NonNullGraphType<BooleanGraphType>>("automatic").Resolve(c => c.Source.Automatic);
        Field<NonNullGraphType<TillReportGraphType>>("report").Resolve(c => c.Source.Report);
    }
}

public sealed class CashierSessionGraphType : ObjectGraphType<CashierSession>
{
    public CashierSessionGraphType()
    {
        Name = "CashierSession";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Resolve(c => c.Source.PointOfSale);
        Field<NonNullGraphType<GuidGraphType>>("userId").Resolve(c => c.Source.User);
        Field<NonNullGraphType<LongGraphType>>("openingFloat").Resolve(c => c.Source.OpeningFloat);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("openedAt").Resolve(c => c.Source.OpenedAt);
        Field<LongGraphType>("countedCash").Resolve(c => c.Source.CountedCash);
        Field<LongGraphType>("expectedCash").Description("The float plus the session's cash lines.").Resolve(c => c.Source.ExpectedCash);
        Field<DateTimeOffsetGraphType>("closedAt").Resolve(c => c.Source.ClosedAt);
    }
}

public sealed class TillSettingsGraphType : ObjectGraphType<TillSettings>
{
    public TillSettingsGraphType()
    {
        Name = "TillSettings";
        Field<NonNullGraphType<StringGraphType>>("timeZone").Resolve(c => c.Source.TimeZone);
        Field<NonNullGraphType<StringGraphType>>("dayTurn").Description("HH:mm, venue time.").Resolve(c => c.Source.DayTurn.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<BooleanGraphType>>("autoClose").Resolve(c => c.Source.AutoClose);
    }
}

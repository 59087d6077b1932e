using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Tests.Till;

public sealed class SaleLineAllocatorTests
{
    private static readonly AssetId Tlf = AssetId.New();
    private static readonly AssetId Tnf = AssetId.New();

    private static PricedLine Line(string name, int quantity, long unit, SaleLineKind kind = SaleLineKind.Sale) =>
        new(kind, Guid.NewGuid(), name, Guid.NewGuid(), "Cat", 2000, quantity, unit, null, null);

    [Fact]
    public void Each_part_s_rows_sum_to_what_it_paid_and_a_split_line_counts_its_units_once()
    {
        PricedLine[] lines = [Line("Beer", 2, 350), Line("Fries", 1, 400)];
        PaymentPart[] parts = [new(SaleLineMeans.Card, Tnf, null, 500), new(SaleLineMeans.Card, Tlf, null, 300), new(SaleLineMeans.Cash, null, null, 300)];

        var rows = SaleLineAllocator.Allocate(lines, parts);

        Assert.Equal(500, rows.Where(r => r.Asset == Tnf).Sum(r => r.Amount));
        Assert.Equal(300, rows.Where(r => r.Asset == Tlf).Sum(r => r.Amount));
        Assert.Equal(300, rows.Where(r => r.Means == SaleLineMeans.Cash).Sum(r => r.Amount));
        Assert.Equal(2, rows.Where(r => r.ProductName == "Beer").Sum(r => r.Quantity));
        Assert.Equal(1, rows.Where(r => r.ProductName == "Fries").Sum(r => r.Quantity));
    }

    [Fact]
    public void A_deposit_given_back_goes_to_the_first_part_which_still_sums_to_what_it_paid()
    {
        PricedLine[] lines = [Line("Beer", 2, 350), Line("Cup", 1, -100, SaleLineKind.DepositReturn)];
        PaymentPart[] parts = [new(SaleLineMeans.Card, Tlf, null, 400), new(SaleLineMeans.Cash, null, null, 200)];

        var rows = SaleLineAllocator.Allocate(lines, parts);

        Assert.Equal(400, rows.Where(r => r.Means == SaleLineMeans.Card).Sum(r => r.Amount));
        Assert.Equal(200, rows.Where(r => r.Means == SaleLineMeans.Cash).Sum(r => r.Amount));
        Assert.Equal(-100, rows.Single(r => r.Kind == SaleLineKind.DepositReturn).Amount);
    }

    [Fact]
    public void Parts_that_do_not_cover_the_lines_exactly_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SaleLineAllocator.Allocate([Line("Beer", 1, 350)], [new(SaleLineMeans.Cash, null, null, 300)]));
        Assert.Equal(ErrorCodes.BadUserInput, ex.Code);
    }

    [Theory]
    [InlineData(1200, 2000, 200)]
    [InlineData(1000, 550, 52)]
    [InlineData(1050, 1000, 95)]
    [InlineData(-350, 2000, -58)]
    public void Vat_included_in_a_gross_amount_is_rounded_half_away_from_zero(long gross, int rate, long vat) =>
        Assert.Equal(vat, TillReportBuilder.VatIncluded(gross, rate));

    [Fact]
    public void Sale_lines_match_the_ledger_per_kind_asset_and_means()
    {
        MeansTotal[] lines = [new(SaleLineKind.Sale, SaleLineMeans.Card, Tlf.Value, 700), new(SaleLineKind.DepositReturn, SaleLineMeans.Card, Tlf.Value, -100),
            new(SaleLineKind.Sale, SaleLineMeans.Cash, null, 250)];
        LedgerTotal[] ledger = [new(TransactionKind.Sale, Tlf.Value, PaymentMeans.None, 1, 600), new(TransactionKind.Sale, null, PaymentMeans.Cash, 1, 250)];

        Assert.True(TillReportBuilder.Matches(lines, ledger));
        Assert.False(TillReportBuilder.Matches(lines, [ledger[0]]));
    }
}

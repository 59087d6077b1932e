using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>
/// Splits a sale's priced lines over the parts that paid it, in order, so every row says which means and asset paid it and
/// the rows add up to exactly what each part paid. Pure: testable without a cluster.
/// </summary>
public static class SaleLineAllocator
{
    /// <summary>
    /// Lines filled part by part in basket order. Negative lines (deposits given back) go to the first part, whose
    /// capacity grows by as much, so each part's rows still sum to that part. BAD_USER_INPUT when the parts do not sum
    /// to the lines' total.
    /// </summary>
    public static ImmutableArray<SaleLineRow> Allocate(IReadOnlyList<PricedLine> lines, IReadOnlyList<PaymentPart> parts)
    {
        var total = lines.Sum(l => l.Amount);
        var paid = parts.Sum(p => p.Amount);
        if (total != paid || parts.Count == 0 && total != 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The payment does not cover the basket exactly.");
        }

        var rows = ImmutableArray.CreateBuilder<SaleLineRow>();
        if (parts.Count == 0)
        {
            rows.AddRange(lines.Select(l => Row(l, l.Quantity, 0, new PaymentPart(SaleLineMeans.Cash, null, null, 0))));
            return rows.ToImmutable();
        }

        var negative = 0L;
        foreach (var line in lines.Where(l => l.Amount < 0))
        {
            rows.Add(Row(line, line.Quantity, line.Amount, parts[0]));
            negative -= line.Amount;
        }

        var remaining = parts.Select(p => p.Amount).ToArray();
        remaining[0] += negative;
        var part = 0;
        foreach (var line in lines.Where(l => l.Amount >= 0))
        {
            var left = line.Amount;
            var quantity = line.Quantity;
            do
            {
                while (part < remaining.Length - 1 && remaining[part] == 0)
                {
                    part++;
                }

                var take = Math.Min(left, remaining[part]);
                rows.Add(Row(line, quantity, take, parts[part]));
                quantity = 0;
                remaining[part] -= take;
                left -= take;
            }
            while (left > 0);
        }

        return rows.ToImmutable();
    }

    private static SaleLineRow Row(PricedLine line, int quantity, long amount, PaymentPart part) =>
        new(line.Kind, line.Product, line.Name, line.Category, line.CategoryName, line.VatRate, quantity, line.UnitPrice, amount,
            part.Means, part.Asset, part.Card);
}

/// <summary>How a wallet's sale turns its till lines into rows once the payment is planned.</summary>
public static class TillSaleRows
{
    /// <summary>
    /// The rows of <paramref name="till"/> paid by the paying card's asset parts, then the second card's, then
    /// <paramref name="external"/> in <paramref name="means"/>.
    /// </summary>
    public static TillRows For(
        TillSale till, IEnumerable<(AssetId Asset, long Amount)> cardParts, CardUid card,
        IEnumerable<(AssetId Asset, long Amount)> secondParts, CardUid? secondCard, long external, Ledger.PaymentMeans means)
    {
        var parts = new List<PaymentPart>();
        parts.AddRange(cardParts.Where(p => p.Amount > 0).Select(p => new PaymentPart(SaleLineMeans.Card, p.Asset, card, p.Amount)));
        parts.AddRange(secondParts.Where(p => p.Amount > 0).Select(p => new PaymentPart(SaleLineMeans.Card, p.Asset, secondCard, p.Amount)));
        if (external > 0)
        {
            parts.Add(new PaymentPart(means == Ledger.PaymentMeans.BankCard ? SaleLineMeans.BankCard : SaleLineMeans.Cash, null, null, external));
        }

        return new TillRows(till.Context, SaleLineAllocator.Allocate(till.Lines, parts));
    }
}

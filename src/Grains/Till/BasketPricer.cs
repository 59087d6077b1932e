using System.Collections.Immutable;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Till;

/// <summary>A line a till asks to sell: a product and a quantity; a price and a label only for a free-price product.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.SellLine")]
public sealed record SellLine(Guid Product, int Quantity, long? UnitPrice = null, string? Label = null);

/// <summary>
/// Prices a basket from the till's menu: the client never sends a price, except for a free-price product. Pure: testable
/// without a cluster.
/// </summary>
public static class BasketPricer
{
    /// <summary>
    /// The priced lines, one per behaviour's kind: a sale, a membership, a deposit given back (negative), a top-up (its
    /// placement price, or, placed at 0, the amount sent), a card emptied or a badge (no price). BAD_USER_INPUT for a
    /// product this till does not sell, a price sent for a priced product or missing for a free one, a label on a line
    /// that is not free-price, a quantity outside 1–<see cref="Basket.MaxQuantity"/>, too many lines, or mixed asset
    /// limits. Whether the lines go together is <see cref="TillBasket.Classify"/>'s.
    /// </summary>
    public static ImmutableArray<PricedLine> Price(IReadOnlyList<SellLine> lines, IReadOnlyCollection<MenuItem> menu)
    {
        if (lines.Count is 0 or > Basket.MaxLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A basket has 1 to {Basket.MaxLines} lines.");
        }

        var byId = menu.ToDictionary(m => m.Product);
        var priced = ImmutableArray.CreateBuilder<PricedLine>(lines.Count);
        foreach (var line in lines)
        {
            if (!byId.TryGetValue(line.Product, out var item))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A product of the basket is not sold at this till.");
            }

            if (line.Quantity is < 1 or > Basket.MaxQuantity)
            {
                throw new DomainException(ErrorCodes.BadUserInput, $"A quantity is 1 to {Basket.MaxQuantity}.");
            }

            var free = item.Behaviour == ProductBehaviour.FreePrice;
            if (line.Label is not null && (!free || string.IsNullOrWhiteSpace(line.Label) || line.Label.Trim().Length > Basket.MaxLabelLength))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A free-text label is 1 to 200 characters, on a free-price product only.");
            }

            var (kind, unit) = item.Behaviour switch
            {
                ProductBehaviour.Sale when line.UnitPrice is null => (SaleLineKind.Sale, item.Price),
                ProductBehaviour.FreePrice when line.UnitPrice is > 0 and <= 100_000_000 => (SaleLineKind.Sale, line.UnitPrice.Value),
                ProductBehaviour.DepositReturn when line.UnitPrice is null => (SaleLineKind.DepositReturn, -item.Price),
                ProductBehaviour.Membership when line.UnitPrice is null => (SaleLineKind.Membership, item.Price),
                ProductBehaviour.TopUp when line.UnitPrice is null && item.Price > 0 => (SaleLineKind.TopUp, item.Price),
                ProductBehaviour.TopUp when item.Price == 0 && line.UnitPrice is > 0 and <= 100_000_000 => (SaleLineKind.TopUp, line.UnitPrice.Value),
                ProductBehaviour.EmptyCard when line.UnitPrice is null => (SaleLineKind.Refund, 0L),
                ProductBehaviour.Badge when line.UnitPrice is null => (SaleLineKind.Badge, 0L),
                ProductBehaviour.FreePrice => throw new DomainException(ErrorCodes.BadUserInput, "A free-price line needs a price above 0."),
                ProductBehaviour.TopUp when item.Price == 0 => throw new DomainException(ErrorCodes.BadUserInput, "This top-up takes its amount: a unitPrice above 0."),
                _ => throw new DomainException(ErrorCodes.BadUserInput, "The till sets the price of this product; send none."),
            };
            priced.Add(new PricedLine(kind, item.Product, line.Label?.Trim() ?? item.Name, item.Category, item.CategoryName, item.VatRate,
                line.Quantity, unit, item.Asset, item.Station));
        }

        var result = priced.MoveToImmutable();
        var limits = result.Where(l => l.Kind == SaleLineKind.Sale).Select(l => l.OnlyAsset).Distinct().ToList();
        if (limits.Count > 1)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Products payable only in one asset are sold in a basket of their own.");
        }

        _ = Total(result);
        return result;
    }

    /// <summary>The lines' total (negative for deposits given back; a line paid in part counts its part); BAD_USER_INPUT on overflow.</summary>
    public static long Total(IEnumerable<PricedLine> lines) =>
        lines.Aggregate(0L, (sum, l) => Cents.Add(sum, l.Part ?? Cents.Multiply(l.Quantity, l.UnitPrice)));

    /// <summary>
    /// The basket as the wallet's rules see it: its lines when none is negative or partly paid, else one line of the net
    /// total (deposits given back and shares of an order are already itemised by the till's rows).
    /// </summary>
    public static ImmutableArray<SaleLine> AsSaleLines(ImmutableArray<PricedLine> lines) =>
        lines.All(l => l.UnitPrice >= 0 && l.Part is null)
            ? [.. lines.Select(l => new SaleLine(l.Name, l.Quantity, l.UnitPrice))]
            : [new SaleLine("Basket", 1, lines.Sum(l => l.Amount))];
}

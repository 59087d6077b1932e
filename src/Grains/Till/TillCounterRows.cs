using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Till;

/// <summary>
/// The sale lines of till operations that are not sales: a top-up, a deposit given back onto a card, a card emptied, a
/// badge. The wallet's planners call these once they know what moved, so the rows say exactly that. Pure.
/// </summary>
public static class TillCounterRows
{
    /// <summary>Adds what a till operation sold and where to a request hash (nothing for an operation without till lines).</summary>
    public static RequestHasher AddTill(this RequestHasher hasher, TillSale? till)
    {
        if (till is null)
        {
            return hasher;
        }

        hasher.Add("till").Add(till.Context.PointOfSale).Add(till.Context.Cashier).Add(till.Context.Table).Add(till.Context.Order?.ToString())
            .Add((long)till.Lines.Length);
        foreach (var line in till.Lines)
        {
            hasher.Add(line.Product?.ToString()).Add(line.Name).Add(line.Quantity).Add(line.UnitPrice).Add((long)line.Kind);
        }

        return hasher;
    }

    /// <summary>
    /// A top-up's rows: paid in <paramref name="means"/> (cash or bank card), each naming the asset it credited. A deposit
    /// given back onto the card (no means): rows of the card, in the asset credited, negative (the lines are).
    /// BAD_USER_INPUT when the lines do not add up to the amount.
    /// </summary>
    public static TillRows Credit(TillSale till, AssetId asset, CardUid card, long amount, Ledger.PaymentMeans means)
    {
        var part = means switch
        {
            Ledger.PaymentMeans.Cash => new PaymentPart(SaleLineMeans.Cash, asset, card, amount),
            Ledger.PaymentMeans.BankCard => new PaymentPart(SaleLineMeans.BankCard, asset, card, amount),
            _ => new PaymentPart(SaleLineMeans.Card, asset, card, -amount),
        };
        return new TillRows(till.Context, SaleLineAllocator.Allocate(till.Lines, [part]));
    }

    /// <summary>
    /// A card emptied: one row per asset taken off it, negative; money handed back in cash is a cash row naming its asset,
    /// money burned without cash (gift money) a card row. The first row carries the line's quantity.
    /// </summary>
    public static TillRows Emptied(TillSale till, IEnumerable<(AssetId Asset, long Amount, bool Cash)> parts, CardUid card)
    {
        var line = till.Lines[0];
        var rows = ImmutableArray.CreateBuilder<SaleLineRow>();
        foreach (var (asset, amount, cash) in parts)
        {
            rows.Add(new SaleLineRow(line.Kind, line.Product, line.Name, line.Category, line.CategoryName, line.VatRate, rows.Count == 0 ? line.Quantity : 0,
                line.UnitPrice, -amount, cash ? SaleLineMeans.Cash : SaleLineMeans.Card, asset, card));
        }

        return new TillRows(till.Context, rows.ToImmutable());
    }

    /// <summary>A badge's rows: no money, the badge asset and the card that badged.</summary>
    public static TillRows Badged(TillSale till, AssetId badge, CardUid card) =>
        new(till.Context, [.. till.Lines.Select(l => new SaleLineRow(l.Kind, l.Product, l.Name, l.Category, l.CategoryName, l.VatRate, l.Quantity, 0, 0,
            SaleLineMeans.Card, badge, card))]);
}

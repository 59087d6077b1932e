using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>What a sale line records. Stored as smallint in <c>sale_lines.kind</c>: values are frozen.</summary>
public enum SaleLineKind : short
{
    Sale = 0,
    TopUp = 1,
    Refund = 2,
    DepositReturn = 3,
    Void = 4,
    Badge = 5,

    /// <summary>A membership sold at the till (recorded by the memberships capability as a purchase).</summary>
    Membership = 6,
}

/// <summary>How a sale line's amount was paid. Stored as smallint in <c>sale_lines.means</c>: values are frozen.</summary>
public enum SaleLineMeans : short
{
    /// <summary>From a card's wallet, in the row's asset.</summary>
    Card = 0,
    Cash = 1,
    BankCard = 2,
}

/// <summary>
/// One stored sale line: what was sold (a copy of the catalog's names and rates at that moment, so archiving or editing a
/// product never changes past sales) and which part of the money paid it. A line paid by several means is stored as one row
/// per means; the first carries the quantity, the others 0, so counts and amounts both add up.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.SaleLineRow")]
public sealed record SaleLineRow(
    [property: Id(0)] SaleLineKind Kind,
    [property: Id(1)] Guid? Product,
    [property: Id(2)] string ProductName,
    [property: Id(3)] Guid? Category,
    [property: Id(4)] string? CategoryName,
    [property: Id(5)] int VatRate,
    [property: Id(6)] int Quantity,
    [property: Id(7)] long UnitPrice,
    [property: Id(8)] long Amount,
    [property: Id(9)] SaleLineMeans Means,
    [property: Id(10)] AssetId? Asset,
    [property: Id(11)] CardUid? Card,
    [property: Id(12)] long? VoidsLine = null,
    [property: Id(13)] string? Reason = null);

/// <summary>Where and by whom a till operation was made: the same for all its rows.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.TillContext")]
public sealed record TillContext(
    [property: Id(0)] string PointOfSale,
    [property: Id(1)] string Cashier,
    [property: Id(2)] Guid? Session,
    [property: Id(3)] string? Table,
    [property: Id(4)] Guid? Order);

/// <summary>A basket line priced by the till from its catalog (the client never sends a price, except for a free price).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.PricedLine")]
public sealed record PricedLine(
    [property: Id(0)] SaleLineKind Kind,
    [property: Id(1)] Guid? Product,
    [property: Id(2)] string Name,
    [property: Id(3)] Guid? Category,
    [property: Id(4)] string? CategoryName,
    [property: Id(5)] int VatRate,
    [property: Id(6)] int Quantity,
    [property: Id(7)] long UnitPrice,
    [property: Id(8)] AssetId? OnlyAsset,
    [property: Id(9)] string? Station,
    [property: Id(10)] long? Part = null)
{
    /// <summary>
    /// What the line costs in this sale: its quantity times its unit price, or <see cref="Part"/> when only a part of the line
    /// is paid here (an equal share of an order: the row that completes the line carries its quantity, the others 0).
    /// </summary>
    public long Amount => Part ?? checked(Quantity * UnitPrice);
}

/// <summary>
/// The till part of a sale handed through the wallet to the ledger writer: its context and priced lines. The wallet turns
/// them into <see cref="SaleLineRow"/>s once it knows how the total was paid.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.TillSale")]
public sealed record TillSale([property: Id(0)] TillContext Context, [property: Id(1)] ImmutableArray<PricedLine> Lines)
{
    /// <summary>The one asset the basket may be paid in (time currency, say), when its products are limited to it.</summary>
    public AssetId? OnlyAsset => Lines.Select(l => l.OnlyAsset).FirstOrDefault(a => a is not null);
}

/// <summary>The rows the ledger writer stores with an operation, in the same transaction.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.TillRows")]
public sealed record TillRows([property: Id(0)] TillContext Context, [property: Id(1)] ImmutableArray<SaleLineRow> Rows);

/// <summary>One part of how a total was paid, in order: card assets first, then a second card, then cash or bank card.</summary>
public readonly record struct PaymentPart(SaleLineMeans Means, AssetId? Asset, CardUid? Card, long Amount);

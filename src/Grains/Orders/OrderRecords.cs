using System.Collections.Immutable;
using System.Text.Json.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Orders;

/// <summary>Where an order line is in the kitchen or at the bar. Stored in orders' documents: values are frozen.</summary>
public enum OrderLineStatus
{
    Ordered = 0,
    Sent = 1,
    Prepared = 2,
    Served = 3,
    Voided = 4,
}

/// <summary>An order's status, rolled up from its lines (<see cref="OrderPlanner.StatusOf"/>). Stored: values are frozen.</summary>
public enum OrderStatus
{
    /// <summary>No line yet, or lines taken but not sent to preparation.</summary>
    Open = 0,

    /// <summary>A line is being prepared.</summary>
    InPreparation = 1,

    /// <summary>Prepared lines wait to be served.</summary>
    Ready = 2,

    /// <summary>Everything served; something is left to pay.</summary>
    ToPay = 3,

    /// <summary>Everything served and paid (or voided): the order no longer holds its table.</summary>
    Closed = 4,

    /// <summary>Every line was voided.</summary>
    Cancelled = 5,
}

/// <summary>A table's status, rolled up from its open orders (<see cref="OrderPlanner.TableStatusOf"/>).</summary>
public enum TableStatus
{
    Free = 0,
    Occupied = 1,
    Waiting = 2,
    Ready = 3,
    ToPay = 4,
}

/// <summary>
/// One line of an order: a copy of the catalog's product, name, rates and price when it was ordered (the till's price, never
/// the client's, except for a free-price product), its preparation status, and what of it is paid. <see cref="PaidBy"/> names
/// the ledger operations that paid it: what a void of a paid line re-credits.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderLine")]
public sealed record OrderLine(
    [property: Id(0)] Guid Id,
    [property: Id(1)] SaleLineKind Kind,
    [property: Id(2)] Guid? Product,
    [property: Id(3)] string Name,
    [property: Id(4)] Guid? Category,
    [property: Id(5)] string? CategoryName,
    [property: Id(6)] int VatRate,
    [property: Id(7)] int Quantity,
    [property: Id(8)] long UnitPrice,
    [property: Id(9)] Guid? OnlyAsset,
    [property: Id(10)] string? Station,
    [property: Id(11)] OrderLineStatus Status,
    [property: Id(12)] long PaidAmount,
    [property: Id(13)] ImmutableArray<Guid> PaidBy,
    [property: Id(14)] string? VoidReason,
    [property: Id(15)] DateTimeOffset OrderedAt)
{
    [JsonIgnore]
    public long Amount => Quantity * UnitPrice;

    [JsonIgnore]
    public bool Live => Status != OrderLineStatus.Voided;

    /// <summary>What is left to pay of a live line.</summary>
    [JsonIgnore]
    public long Unpaid => Live ? Amount - PaidAmount : 0;

    [JsonIgnore]
    public bool Paid => Live && PaidAmount == Amount;
}

/// <summary>What one payment pays of one line: an amount and, on the row that completes the line, its quantity.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderPaymentPart")]
public sealed record OrderPaymentPart([property: Id(0)] Guid Line, [property: Id(1)] long Amount, [property: Id(2)] int Quantity);

/// <summary>
/// A payment of an order, under the client's idempotency key: recorded before the money moves (<see cref="Settled"/> false: its
/// lines are locked until the same key is retried), settled with the ledger operation once approved.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderPayment")]
public sealed record OrderPayment(
    [property: Id(0)] string Key,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] ImmutableArray<OrderPaymentPart> Parts,
    [property: Id(3)] bool Settled,
    [property: Id(4)] Guid? Operation,
    [property: Id(5)] int? Share)
{
    [JsonIgnore]
    public long Amount => Parts.Sum(p => p.Amount);
}

/// <summary>An equal split under way: <see cref="Total"/> in <see cref="Count"/> shares, <see cref="Paid"/> of them paid.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderSplit")]
public sealed record OrderSplit([property: Id(0)] int Count, [property: Id(1)] long Total, [property: Id(2)] int Paid);

/// <summary>
/// An order: at a table (<see cref="Table"/>) or a numbered takeaway ticket (<see cref="Ticket"/>). <see cref="AddKeys"/>: the
/// last client keys of <c>addOrderLines</c>, so a retried add adds nothing twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.Order")]
public sealed record Order(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Venue,
    [property: Id(2)] string PointOfSale,
    [property: Id(3)] string? Table,
    [property: Id(4)] int? Ticket,
    [property: Id(5)] OrderStatus Status,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] DateTimeOffset? ClosedAt,
    [property: Id(8)] ImmutableArray<OrderLine> Lines,
    [property: Id(9)] ImmutableArray<OrderPayment> Payments,
    [property: Id(10)] OrderSplit? Split,
    ImmutableArray<string> AddKeys = default)
{
    /// <summary>Never default: an order stored before adds had keys reads as none.</summary>
    [Id(11)]
    public ImmutableArray<string> AddKeys { get; init; } = AddKeys.IsDefault ? [] : AddKeys;

    [JsonIgnore]
    public long Total => Lines.Where(l => l.Live).Sum(l => l.Amount);

    [JsonIgnore]
    public long PaidAmount => Lines.Where(l => l.Live).Sum(l => l.PaidAmount);

    [JsonIgnore]
    public long Remaining => Total - PaidAmount;

    [JsonIgnore]
    public bool IsOpen => ClosedAt is null;
}

/// <summary>Opens an order at <see cref="Table"/> (created on the fly if the plan lacks it), or a takeaway ticket without one.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OpenOrderRequest")]
public sealed record OpenOrderRequest([property: Id(0)] VenueId Venue, [property: Id(1)] string PointOfSale, [property: Id(2)] string? Table);

/// <summary>
/// Pays an order: its named <see cref="Lines"/> (all unpaid lines when empty), or with <see cref="Shares"/> the next of that many
/// equal shares of what is left. The means are those of <c>sell</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.PayOrderRequest")]
public sealed record PayOrderRequest(
    [property: Id(0)] VenueId Venue,
    [property: Id(1)] IdempotencyKey Key,
    [property: Id(2)] CardUid Cashier,
    [property: Id(3)] string CashierUser,
    [property: Id(4)] Guid? Session,
    [property: Id(5)] ImmutableArray<Guid> Lines,
    [property: Id(6)] int? Shares,
    [property: Id(7)] CardUid? Card,
    [property: Id(8)] PaymentMeans Complement,
    [property: Id(9)] CardUid? SecondCard);

/// <summary>A payment's answer (as <c>sell</c>'s) and the order after it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderPaymentResult")]
public sealed record OrderPaymentResult([property: Id(0)] Wallets.PaymentResult Payment, [property: Id(1)] Order Order);

/// <summary>A table of a venue's plan (fixed) or opened on the fly by a cashier.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.TableDetails")]
public sealed record TableDetails(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Fixed,
    [property: Id(3)] bool Archived,
    [property: Id(4)] TableStatus Status,
    [property: Id(5)] ImmutableArray<OrderSummary> Orders);

/// <summary>An open order as a table or the takeaway list shows it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.OrderSummary")]
public sealed record OrderSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string? Table,
    [property: Id(2)] int? Ticket,
    [property: Id(3)] OrderStatus Status,
    [property: Id(4)] long Total,
    [property: Id(5)] long Remaining,
    [property: Id(6)] DateTimeOffset OpenedAt);

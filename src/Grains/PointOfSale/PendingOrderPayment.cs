using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// The order part of a pending payment: the next customer tap pays <see cref="Lines"/> of <see cref="Order"/> (fixed when it
/// was requested), or with <see cref="Shares"/> the next of that many equal shares, through the order grain, under
/// <see cref="Key"/>. <see cref="CashierUser"/> and <see cref="Session"/> are the staff member who asked and their open
/// cashier session, which the sale lines name.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PendingOrderPayment")]
public sealed record PendingOrderPayment(
    [property: Id(0)] Guid Order,
    [property: Id(1)] ImmutableArray<Guid> Lines,
    [property: Id(2)] int? Shares,
    [property: Id(3)] IdempotencyKey Key,
    [property: Id(4)] string CashierUser,
    [property: Id(5)] Guid? Session,
    [property: Id(6)] string? Table);

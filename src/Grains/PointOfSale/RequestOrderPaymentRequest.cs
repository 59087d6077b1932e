using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// Asks the next customer tap to pay an order: its named <see cref="Lines"/> (all unpaid lines when empty), or with
/// <see cref="Shares"/> the next equal share. <see cref="Key"/> is the client's, scoped to the venue: the same key while the
/// request waits changes nothing, and it is the key the order's payment (and its ledger operation) carries.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.RequestOrderPaymentRequest")]
public sealed record RequestOrderPaymentRequest(
    [property: Id(0)] Guid Order,
    [property: Id(1)] ImmutableArray<Guid> Lines,
    [property: Id(2)] int? Shares,
    [property: Id(3)] IdempotencyKey Key,
    [property: Id(4)] string CashierUser,
    [property: Id(5)] Guid? Session);

using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// A point of sale as its screens show it. The till is open while <see cref="Cashier"/> (the cashier card that opened
/// it) is set. <see cref="Pending"/> is the request the next customer tap serves, if any. <see cref="Mode"/> says what
/// customer taps do (a counter or a door).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PointOfSaleDetails")]
public sealed record PointOfSaleDetails(
    PointOfSaleId Id,
    string Name,
    CardUid? Cashier,
    DateTimeOffset? TillOpenedAt,
    PendingRequest? Pending,
    DateTimeOffset CreatedAt,
    PointOfSaleMode Mode = PointOfSaleMode.Sale)
{
    /// <summary>True while a cashier card holds the till open.</summary>
    public bool TillOpen => Cashier is not null;
}

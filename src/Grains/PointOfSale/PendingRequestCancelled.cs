namespace TiBillet.Grains.PointOfSale;

/// <summary>The pending request was cancelled from a screen before any tap served it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PendingRequestCancelled")]
public sealed record PendingRequestCancelled(PointOfSaleDetails PointOfSale, DateTimeOffset At, [property: Id(0)] PendingRequest Request)
    : PointOfSaleEvent(PointOfSale, At);

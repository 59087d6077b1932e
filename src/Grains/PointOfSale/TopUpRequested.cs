namespace TiBillet.Grains.PointOfSale;

/// <summary>A top-up now waits for a customer's tap (replacing any earlier request).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TopUpRequested")]
public sealed record TopUpRequested(PointOfSaleDetails PointOfSale, DateTimeOffset At, [property: Id(0)] PendingRequest Request)
    : PointOfSaleEvent(PointOfSale, At);

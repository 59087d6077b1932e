namespace TiBillet.Grains.PointOfSale;

/// <summary>A payment now waits for a customer's tap (replacing any earlier request).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PaymentRequested")]
public sealed record PaymentRequested(PointOfSaleDetails PointOfSale, DateTimeOffset At, [property: Id(0)] PendingRequest Request)
    : PointOfSaleEvent(PointOfSale, At);

namespace TiBillet.Grains.PointOfSale;

/// <summary>A tap was handled (replays of a retried tap are not told again).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TapHandled")]
public sealed record TapHandled(PointOfSaleDetails PointOfSale, DateTimeOffset At, [property: Id(0)] TapResult Result)
    : PointOfSaleEvent(PointOfSale, At);

namespace TiBillet.Grains.PointOfSale;

/// <summary>The venue changed what the till's customer taps do (<see cref="PointOfSaleDetails.Mode"/>).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PointOfSaleModeChanged")]
public sealed record PointOfSaleModeChanged(PointOfSaleDetails PointOfSale, DateTimeOffset At) : PointOfSaleEvent(PointOfSale, At);

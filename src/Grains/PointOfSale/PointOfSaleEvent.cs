namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// Something that happened at a point of sale, told to its subscribed screens. <see cref="PointOfSale"/> is the point of
/// sale just after it happened, so a screen can redraw from any event.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PointOfSaleEvent")]
public abstract record PointOfSaleEvent([property: Id(0)] PointOfSaleDetails PointOfSale, [property: Id(1)] DateTimeOffset At);

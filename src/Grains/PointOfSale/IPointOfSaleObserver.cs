using Orleans.Concurrency;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// Told of a point of sale's events (one per silo: the API's event hub, which fans them out to the screens). Calls are
/// one-way: a slow or vanished subscriber never delays a tap.
/// </summary>
[Alias("TiBillet.Grains.PointOfSale.IPointOfSaleObserver")]
public interface IPointOfSaleObserver : IGrainObserver
{
    /// <summary>One event, in the order the point of sale handled them (best effort: delivery is not guaranteed).</summary>
    [Alias("OnEventAsync"), OneWay]
    Task OnEventAsync(PointOfSaleEvent pointOfSaleEvent);
}

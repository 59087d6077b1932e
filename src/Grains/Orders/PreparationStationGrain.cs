using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace TiBillet.Grains.Orders;

/// <summary>
/// Relays a station's events. Reentrant: it holds no state but its observers, and a busy kitchen's events must not queue
/// behind a renewal.
/// </summary>
[Reentrant]
public sealed class PreparationStationGrain(ILogger<PreparationStationGrain> logger) : Grain, IPreparationStationGrain
{
    /// <summary>How long a subscription lives without renewal.</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(1);

    private readonly ObserverManager<IStationObserver> _observers = new(ObserverExpiry, logger);

    public Task SubscribeAsync(IStationObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IStationObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task PublishAsync(StationEvent stationEvent)
    {
        _observers.Notify(o => o.OnEventAsync(stationEvent));
        return Task.CompletedTask;
    }
}

using Microsoft.Extensions.Logging;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>
/// The silo's one subscriber to point-of-sale grains (DI singleton). It is an Orleans observer
/// (<see cref="IGrainFactory.CreateObjectReference{TGrainObserverInterface}(IGrainObserver)"/>) subscribed to each point of
/// sale that at least one local screen watches, renews those subscriptions every <see cref="RenewalInterval"/> (well within
/// <see cref="PointOfSaleGrain.ObserverExpiry"/>), fans every event out to the local screens of that point of sale, and
/// unsubscribes when the last one leaves. Thread-safe.
/// </summary>
public sealed partial class PointOfSaleEventHub(IGrainFactory grains, TimeProvider time, ILogger<PointOfSaleEventHub> logger)
    : IPointOfSaleObserver, IDisposable
{
    /// <summary>How often subscriptions are renewed: a third of the grain's expiry, so one failed renewal loses nothing.</summary>
    public static readonly TimeSpan RenewalInterval = PointOfSaleGrain.ObserverExpiry / 3;

    /// <summary>How long a stream may wait for its transport to subscribe before it is released.</summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<PointOfSaleId, List<PointOfSaleWatcher>> _watchers = [];
    private IPointOfSaleObserver? _reference;
    private ITimer? _renewal;
    private bool _disposed;

    /// <summary>
    /// A stream of <paramref name="id"/>'s events for one screen, opening with the current state. The grain subscription
    /// is in place when this returns. NOT_FOUND for a point of sale never created.
    /// </summary>
    public async Task<IObservable<PointOfSaleEvent>> WatchAsync(PointOfSaleId id, CancellationToken cancellationToken = default)
    {
        var watcher = new PointOfSaleWatcher(this, id);
        IPointOfSaleObserver reference;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            reference = _reference ??= grains.CreateObjectReference<IPointOfSaleObserver>(this);
            _renewal ??= time.CreateTimer(_ => _ = RenewAsync(), null, RenewalInterval, RenewalInterval);
            if (!_watchers.TryGetValue(id, out var list))
            {
                _watchers[id] = list = [];
            }

            // Registered before subscribing, so no event told after the grain accepts us is missed.
            list.Add(watcher);
        }

        try
        {
            // Every watcher subscribes again (idempotent at the grain): it both gets the snapshot and covers an
            // unsubscription of the previous last watcher that might still be in flight.
            var details = await grains.GetPointOfSale(id).SubscribeAsync(reference).WaitAsync(cancellationToken);
            watcher.Start(new PointOfSaleSubscribed(details, time.GetUtcNow()));
        }
        catch
        {
            watcher.Dispose();
            throw;
        }

        _ = ReleaseIfUnclaimedAsync(watcher);
        LogWatching(logger, id.Key);
        return watcher;
    }

    /// <summary>Called by the grains (one-way): fans the event out to this silo's screens of that point of sale.</summary>
    public Task OnEventAsync(PointOfSaleEvent pointOfSaleEvent)
    {
        PointOfSaleWatcher[] targets;
        lock (_lock)
        {
            targets = _watchers.TryGetValue(pointOfSaleEvent.PointOfSale.Id, out var list) ? [.. list] : [];
        }

        foreach (var watcher in targets)
        {
            try
            {
                watcher.Post(pointOfSaleEvent);
            }
            catch (Exception ex)
            {
                // One broken screen connection never keeps the event from the others.
                LogDeliveryFailed(logger, ex, pointOfSaleEvent.PointOfSale.Id.Key);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes a watcher; the last one of a point of sale unsubscribes this silo from its grain.</summary>
    internal void Leave(PointOfSaleWatcher watcher)
    {
        IPointOfSaleObserver? reference;
        lock (_lock)
        {
            if (!_watchers.TryGetValue(watcher.PointOfSale, out var list) || !list.Remove(watcher) || list.Count > 0)
            {
                return;
            }

            _watchers.Remove(watcher.PointOfSale);
            reference = _disposed ? null : _reference;
        }

        if (reference is not null)
        {
            _ = UnsubscribeAsync(watcher.PointOfSale, reference);
        }
    }

    public void Dispose()
    {
        PointOfSaleWatcher[] all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _renewal?.Dispose();
            all = [.. _watchers.Values.SelectMany(list => list)];
            _watchers.Clear();
        }

        // The screens learn that the stream ended; the grains forget this silo when its subscriptions expire.
        foreach (var watcher in all)
        {
            watcher.Complete();
        }

        if (_reference is not null)
        {
            grains.DeleteObjectReference<IPointOfSaleObserver>(_reference);
        }
    }

    private async Task RenewAsync()
    {
        PointOfSaleId[] watched;
        IPointOfSaleObserver? reference;
        lock (_lock)
        {
            watched = [.. _watchers.Keys];
            reference = _reference;
        }

        if (reference is null)
        {
            return;
        }

        foreach (var id in watched)
        {
            try
            {
                await grains.GetPointOfSale(id).SubscribeAsync(reference);
            }
            catch (Exception ex)
            {
                // The next renewal tries again, well before the grain lets the subscription expire.
                LogRenewalFailed(logger, ex, id.Key);
            }
        }
    }

    private async Task UnsubscribeAsync(PointOfSaleId id, IPointOfSaleObserver reference)
    {
        try
        {
            await grains.GetPointOfSale(id).UnsubscribeAsync(reference);
            LogUnwatched(logger, id.Key);
        }
        catch (Exception ex)
        {
            // Harmless: the grain drops the subscription when it expires.
            LogUnsubscribeFailed(logger, ex, id.Key);
        }
    }

    private async Task ReleaseIfUnclaimedAsync(PointOfSaleWatcher watcher)
    {
        // A subscription executed over plain HTTP returns a stream no transport will ever read.
        await Task.Delay(ClaimTimeout, time);
        if (!watcher.Claimed)
        {
            watcher.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A screen watches point of sale {PointOfSale}")]
    private static partial void LogWatching(ILogger logger, string pointOfSale);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No screen watches point of sale {PointOfSale} on this silo any more")]
    private static partial void LogUnwatched(ILogger logger, string pointOfSale);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver an event of point of sale {PointOfSale} to a screen")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string pointOfSale);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to point of sale {PointOfSale}; retrying at the next renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string pointOfSale);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from point of sale {PointOfSale}; it will expire")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string pointOfSale);
}

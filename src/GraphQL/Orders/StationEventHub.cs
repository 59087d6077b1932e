using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Orders;

namespace TiBillet.GraphQL.Orders;

/// <summary>
/// The silo's one subscriber to preparation station grains (DI singleton), built as the point-of-sale hub is: an Orleans
/// observer subscribed to each station at least one local screen follows, renewed every <see cref="RenewalInterval"/>,
/// fanning each event out to the local screens and unsubscribing when the last one leaves. Thread-safe.
/// </summary>
public sealed partial class StationEventHub(IGrainFactory grains, OrderStore store, TimeProvider time, ILogger<StationEventHub> logger)
    : IStationObserver, IDisposable
{
    /// <summary>A third of the grain's expiry, so one failed renewal loses nothing.</summary>
    public static readonly TimeSpan RenewalInterval = PreparationStationGrain.ObserverExpiry / 3;

    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Venue, string Station), List<StationWatcher>> _watchers = [];
    private IStationObserver? _reference;
    private ITimer? _renewal;
    private bool _disposed;

    /// <summary>A stream of a station's events for one screen, opening with what the station has to do now.</summary>
    public async Task<IObservable<StationEvent>> WatchAsync(VenueId venue, string station, CancellationToken cancellationToken = default)
    {
        var key = (venue.Value, station);
        var watcher = new StationWatcher(this, key);
        IStationObserver reference;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            reference = _reference ??= grains.CreateObjectReference<IStationObserver>(this);
            _renewal ??= time.CreateTimer(_ => _ = RenewAsync(), null, RenewalInterval, RenewalInterval);
            if (!_watchers.TryGetValue(key, out var list))
            {
                _watchers[key] = list = [];
            }

            // Registered before subscribing and before reading the snapshot, so no event after it is missed (one told in
            // between may repeat a line the snapshot has: screens key lines by id).
            list.Add(watcher);
        }

        try
        {
            await grains.GetPreparationStation(venue, station).SubscribeAsync(reference).WaitAsync(cancellationToken);
            var lines = await store.StationLinesAsync(venue, station, cancellationToken);
            watcher.Start(new StationEvent(StationEventKind.Subscribed, venue.Value, station, lines, time.GetUtcNow()));
        }
        catch
        {
            watcher.Dispose();
            throw;
        }

        _ = ReleaseIfUnclaimedAsync(watcher);
        return watcher;
    }

    /// <summary>Called by the station grains (one-way): fans the event out to this silo's screens of that station.</summary>
    public Task OnEventAsync(StationEvent stationEvent)
    {
        StationWatcher[] targets;
        lock (_lock)
        {
            targets = _watchers.TryGetValue((stationEvent.Venue, stationEvent.Station), out var list) ? [.. list] : [];
        }

        foreach (var watcher in targets)
        {
            try
            {
                watcher.Post(stationEvent);
            }
            catch (Exception ex)
            {
                // One broken screen never keeps the event from the others.
                LogDeliveryFailed(logger, ex, stationEvent.Venue, stationEvent.Station);
            }
        }

        return Task.CompletedTask;
    }

    internal void Leave(StationWatcher watcher)
    {
        IStationObserver? reference;
        lock (_lock)
        {
            if (!_watchers.TryGetValue(watcher.Key, out var list) || !list.Remove(watcher) || list.Count > 0)
            {
                return;
            }

            _watchers.Remove(watcher.Key);
            reference = _disposed ? null : _reference;
        }

        if (reference is not null)
        {
            _ = UnsubscribeAsync(watcher.Key, reference);
        }
    }

    public void Dispose()
    {
        StationWatcher[] all;
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

        foreach (var watcher in all)
        {
            watcher.Complete();
        }

        if (_reference is not null)
        {
            grains.DeleteObjectReference<IStationObserver>(_reference);
        }
    }

    private async Task RenewAsync()
    {
        (string Venue, string Station)[] watched;
        IStationObserver? reference;
        lock (_lock)
        {
            watched = [.. _watchers.Keys];
            reference = _reference;
        }

        if (reference is null)
        {
            return;
        }

        foreach (var (venue, station) in watched)
        {
            try
            {
                await grains.GetPreparationStation(new VenueId(venue), station).SubscribeAsync(reference);
            }
            catch (Exception ex)
            {
                // The next renewal tries again, well before the grain lets the subscription expire.
                LogRenewalFailed(logger, ex, venue, station);
            }
        }
    }

    private async Task UnsubscribeAsync((string Venue, string Station) key, IStationObserver reference)
    {
        try
        {
            await grains.GetPreparationStation(new VenueId(key.Venue), key.Station).UnsubscribeAsync(reference);
        }
        catch (Exception ex)
        {
            // Harmless: the grain drops the subscription when it expires.
            LogRenewalFailed(logger, ex, key.Venue, key.Station);
        }
    }

    private async Task ReleaseIfUnclaimedAsync(StationWatcher watcher)
    {
        // A subscription executed over plain HTTP returns a stream no transport will ever read.
        await Task.Delay(ClaimTimeout, time);
        if (!watcher.Claimed)
        {
            watcher.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver an event of station {Station} at {Venue} to a screen")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string venue, string station);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not renew or end the subscription to station {Station} at {Venue}")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string venue, string station);
}

/// <summary>One screen's stream of a station's events: the snapshot first, then live events in order (the oldest dropped past 100 held).</summary>
internal sealed class StationWatcher(StationEventHub hub, (string Venue, string Station) key) : IObservable<StationEvent>, IDisposable
{
    private const int MaxHeld = 100;

    private readonly Lock _lock = new();
    private readonly Queue<StationEvent> _held = new();
    private IObserver<StationEvent>? _observer;
    private StationEvent? _snapshot;
    private bool _snapshotSent;
    private bool _completed;
    private int _disposed;

    public (string Venue, string Station) Key { get; } = key;

    public bool Claimed
    {
        get
        {
            lock (_lock)
            {
                return _observer is not null;
            }
        }
    }

    public IDisposable Subscribe(IObserver<StationEvent> observer)
    {
        lock (_lock)
        {
            if (_observer is not null)
            {
                throw new InvalidOperationException("A station stream has one subscriber.");
            }

            _observer = observer;
            Flush();
        }

        return this;
    }

    public void Start(StationEvent snapshot)
    {
        lock (_lock)
        {
            _snapshot = snapshot;
            Flush();
        }
    }

    public void Post(StationEvent stationEvent)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            if (_held.Count == MaxHeld)
            {
                _held.Dequeue();
            }

            _held.Enqueue(stationEvent);
            Flush();
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            if (!_completed)
            {
                _completed = true;
                _observer?.OnCompleted();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_lock)
            {
                _completed = true;
                _held.Clear();
            }

            hub.Leave(this);
        }
    }

    private void Flush()
    {
        if (_snapshot is null || _observer is null || _completed)
        {
            return;
        }

        if (!_snapshotSent)
        {
            _snapshotSent = true;
            _observer.OnNext(_snapshot);
        }

        while (_held.TryDequeue(out var held))
        {
            _observer.OnNext(held);
        }
    }
}

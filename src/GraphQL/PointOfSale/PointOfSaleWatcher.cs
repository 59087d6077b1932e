using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>
/// One screen's stream of a point of sale's events, fed by <see cref="PointOfSaleEventHub"/>. It opens with a
/// <see cref="PointOfSaleSubscribed"/> snapshot; events that arrive before the snapshot is known or before the transport
/// subscribes are held (up to <see cref="MaxHeld"/>) and delivered after it, in order. One observer; disposing the
/// subscription leaves the hub.
/// </summary>
internal sealed class PointOfSaleWatcher(PointOfSaleEventHub hub, PointOfSaleId id) : IObservable<PointOfSaleEvent>, IDisposable
{
    private const int MaxHeld = 100;

    private readonly Lock _lock = new();
    private readonly Queue<PointOfSaleEvent> _held = new();
    private IObserver<PointOfSaleEvent>? _observer;
    private PointOfSaleSubscribed? _snapshot;
    private bool _snapshotSent;
    private bool _completed;
    private int _disposed;

    public PointOfSaleId PointOfSale { get; } = id;

    /// <summary>True once the transport has subscribed (the hub releases a watcher nobody claims).</summary>
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

    public IDisposable Subscribe(IObserver<PointOfSaleEvent> observer)
    {
        lock (_lock)
        {
            if (_observer is not null)
            {
                throw new InvalidOperationException("A point-of-sale stream has one subscriber.");
            }

            _observer = observer;
            Flush();
        }

        return this;
    }

    /// <summary>Sets the opening snapshot; live events told before it wait behind it.</summary>
    public void Start(PointOfSaleSubscribed snapshot)
    {
        lock (_lock)
        {
            _snapshot = snapshot;
            Flush();
        }
    }

    /// <summary>Delivers a live event (called by the hub, possibly from several threads: the lock keeps them in order).</summary>
    public void Post(PointOfSaleEvent pointOfSaleEvent)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            if (_held.Count == MaxHeld)
            {
                _held.Dequeue(); // A screen that cannot keep up loses the oldest news; every event carries the latest state.
            }

            _held.Enqueue(pointOfSaleEvent);
            Flush();
        }
    }

    /// <summary>Ends the stream (the silo is stopping).</summary>
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

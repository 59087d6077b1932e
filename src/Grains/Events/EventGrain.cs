using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Tickets;

namespace TiBillet.Grains.Events;

/// <summary>
/// One event and the single writer of its seats (see <see cref="IEventGrain"/>). Reentrant, so that many reservations
/// wait for their commits together (group commit by the <see cref="ReservationWriter"/>): every decision and every change
/// of the counts happens synchronously within one turn, before the first await, and work in flight is marked on the
/// reservation so interleaved calls see it. A failed write gives back what it took.
/// </summary>
[Reentrant]
public sealed partial class EventGrain(
    EventStore store,
    ReservationWriter writer,
    ReservationPayments payments,
    MemberPrices memberPrices,
    TicketKeys keys,
    IMailSender mail,
    IOptions<ReservationOptions> options,
    TimeProvider clock,
    ILogger<EventGrain> logger) : Grain, IEventGrain, IRemindable
{
    private readonly SeatBook _book = new();
    private readonly Dictionary<Guid, LiveReservation> _reservations = [];
    private readonly Dictionary<(string Customer, string Key), Guid> _byKey = [];
    private readonly Dictionary<Guid, Guid> _ticketOwner = [];
    private EventId _id;
    private StoredEvent? _event;
    private bool _lifecycleBusy;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = new EventId(this.GetPrimaryKey());
        _event = await store.LoadAsync(_id, cancellationToken);
        if (_event is null)
        {
            return;
        }

        foreach (var row in await store.LoadLiveReservationsAsync(_id, cancellationToken))
        {
            Track(new LiveReservation(row));
        }

        if (_reservations.Values.Any(r => r.State == ReservationState.Held))
        {
            // Holds outlive a restart: this activation frees them when they run out.
            await StartExpiryAsync();
        }
    }

    public Task<EventDetails?> FindAsync(CancellationToken cancellationToken = default) => Task.FromResult(_event is null ? null : Details());

    public async Task<EventDetails> CreateAsync(VenueId venue, EventDefinition definition, CancellationToken cancellationToken = default)
    {
        var normalized = EventRules.Normalize(definition);
        if (_event is { } existing)
        {
            return existing.Venue == venue && Same(existing.Definition, normalized)
                ? Details()
                : throw new DomainException(ErrorCodes.Conflict, "This event id is already used.");
        }

        await memberPrices.RequireProductsAsync(venue, normalized, cancellationToken);
        return await ChangeAsync(new StoredEvent(venue, EventState.Draft, normalized), cancellationToken);
    }

    public async Task<EventDetails> UpdateAsync(EventDefinition definition, CancellationToken cancellationToken = default)
    {
        var normalized = EventRules.Normalize(definition);
        await memberPrices.RequireProductsAsync(RequireEvent().Venue, normalized, cancellationToken);
        // Checked after the await: seats may have been taken meanwhile.
        var current = RequireEvent();
        RequireOpen(current);
        _book.RequireFits(normalized);
        return await ChangeAsync(current with { Definition = normalized }, cancellationToken);
    }

    public Task<EventDetails> PublishAsync(CancellationToken cancellationToken = default)
    {
        var current = RequireEvent();
        RequireOpen(current);
        return current.State == EventState.Published ? Task.FromResult(Details()) : ChangeAsync(current with { State = EventState.Published }, cancellationToken);
    }

    public async Task<EventDetails> ArchiveAsync(CancellationToken cancellationToken = default)
    {
        var current = RequireEvent();
        return current.State == EventState.Archived ? Details() : await ChangeAsync(current with { State = EventState.Archived }, cancellationToken);
    }

    public async Task<EventDetails> CancelAsync(CancellationToken cancellationToken = default)
    {
        var current = RequireEvent();
        if (current.State == EventState.Archived)
        {
            throw new DomainException(ErrorCodes.Conflict, "An archived event cannot be cancelled.");
        }

        if (current.State != EventState.Cancelled)
        {
            // Cancelled first: from this turn on nothing new is reserved or confirmed.
            await ChangeAsync(current with { State = EventState.Cancelled }, cancellationToken);
        }

        // Each reservation is refunded and cancelled under its own keys: a retry after a failure finishes the rest.
        foreach (var live in _reservations.Values.Where(r => r.State is ReservationState.Held or ReservationState.Confirmed).ToList())
        {
            await CancelLiveAsync(live, scannedAllowed: true, cancellationToken);
        }

        return Details();
    }

    private async Task<EventDetails> ChangeAsync(StoredEvent next, CancellationToken cancellationToken)
    {
        if (_lifecycleBusy)
        {
            throw new DomainException(ErrorCodes.Conflict, "Another change of this event is in progress; retry.");
        }

        // The new definition applies from this turn, so a reservation interleaved with the write already follows it.
        var previous = _event;
        _lifecycleBusy = true;
        _event = next;
        try
        {
            await store.SaveAsync(_id, next.Venue, next.State, next.Definition, cancellationToken);
        }
        catch
        {
            _event = previous;
            throw;
        }
        finally
        {
            _lifecycleBusy = false;
        }

        LogChanged(logger, _id.Value, next.State);
        return Details();
    }

    private StoredEvent RequireEvent() => _event ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");

    private static void RequireOpen(StoredEvent e)
    {
        if (e.State is EventState.Cancelled or EventState.Archived)
        {
            throw new DomainException(ErrorCodes.Conflict, $"This event is {e.State.ToString().ToLowerInvariant()}.");
        }
    }

    private EventDetails Details()
    {
        var e = RequireEvent();
        var availability = e.Definition.Prices.Select(p =>
        {
            var taken = _book.TakenAt(p.Id);
            var remaining = Math.Max(0, e.Definition.Capacity - _book.Taken);
            if (p.Stock is { } stock)
            {
                remaining = Math.Min(remaining, Math.Max(0, stock - taken));
            }

            return new PriceAvailability(p.Id, taken, remaining);
        }).ToImmutableArray();
        var confirmed = _reservations.Values.Where(r => r.State == ReservationState.Confirmed).Sum(r => r.Seats.Length);
        return new EventDetails(_id, e.Venue, e.State, e.Definition, _book.Taken, confirmed, availability);
    }

    private static bool Same(EventDefinition a, EventDefinition b) =>
        a with { Tags = [], Prices = [] } == b with { Tags = [], Prices = [] } && a.Tags.SequenceEqual(b.Tags) && a.Prices.SequenceEqual(b.Prices);

    private void Track(LiveReservation live)
    {
        _reservations[live.Id] = live;
        _byKey[(live.Customer.Value, live.Key.Value)] = live.Id;
        _book.Take(live.Customer, live.Seats);
        foreach (var t in live.Tickets)
        {
            _ticketOwner[t.Id] = live.Id;
        }
    }

    private void Forget(LiveReservation live)
    {
        _reservations.Remove(live.Id);
        _byKey.Remove((live.Customer.Value, live.Key.Value));
        _book.Release(live.Customer, live.Seats);
        foreach (var t in live.Tickets)
        {
            _ticketOwner.Remove(t.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} is now {State}")]
    private static partial void LogChanged(ILogger logger, Guid eventId, EventState state);
}

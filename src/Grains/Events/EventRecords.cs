using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Events;

/// <summary>An event's id (the key of its <see cref="IEventGrain"/>).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.EventId")]
public readonly record struct EventId([property: Id(0)] Guid Value)
{
    public static EventId New() => new(Guid.CreateVersion7());

    public static EventId Parse(string? value) =>
        Guid.TryParse(value, out var id) && id != Guid.Empty ? new EventId(id) : throw new DomainException(ErrorCodes.BadUserInput, "Not an event id.");

    public override string ToString() => Value.ToString();
}

/// <summary>Where an event is in its life. Stored as smallint: values are frozen.</summary>
public enum EventState : short
{
    /// <summary>Being prepared: only its venue sees it, nothing can be reserved.</summary>
    Draft = 0,

    /// <summary>On the agenda (unless private) and open for reservations within each price's window.</summary>
    Published = 1,

    /// <summary>Called off: every reservation was cancelled and refunded.</summary>
    Cancelled = 2,

    /// <summary>Over and put away: read only.</summary>
    Archived = 3,
}

/// <summary>How a price is paid.</summary>
public enum PriceKind : short
{
    /// <summary>Exactly <see cref="EventPrice.Amount"/> cents a seat.</summary>
    Fixed = 0,

    /// <summary>Nothing to pay: confirmed by an e-mailed link.</summary>
    Free = 1,

    /// <summary>The customer chooses, at least <see cref="EventPrice.Amount"/> cents a seat.</summary>
    PayWhatYouWant = 2,
}

/// <summary>
/// One price of an event. <see cref="Stock"/> caps its seats (null: only the event's capacity does),
/// <see cref="PerCustomerLimit"/> caps one customer's seats at this price, and reservations are taken only within
/// [<see cref="SalesStart"/>, <see cref="SalesEnd"/>) when given. With <see cref="MembershipProduct"/>, the price is for
/// members only: a customer reserves at it only while holding a valid membership of that product of the event's venue.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.EventPrice")]
public sealed record EventPrice(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] PriceKind Kind,
    [property: Id(3)] long Amount,
    [property: Id(4)] int? Stock,
    [property: Id(5)] int? PerCustomerLimit,
    [property: Id(6)] DateTimeOffset? SalesStart,
    [property: Id(7)] DateTimeOffset? SalesEnd,
    [property: Id(8)] Memberships.MembershipProductId? MembershipProduct = null);

/// <summary>
/// What a venue admin writes about an event. Instants are UTC; <see cref="TimeZone"/> (IANA) is how the venue shows them.
/// <see cref="Nominative"/>: every seat needs its holder's name. <see cref="HoldSeconds"/>: how long an unconfirmed
/// reservation keeps its seats (null: the configured default, 15 minutes).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.EventDefinition")]
public sealed record EventDefinition(
    [property: Id(0)] string Title,
    [property: Id(1)] string Description,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] string TimeZone,
    [property: Id(5)] ImmutableArray<string> Tags,
    [property: Id(6)] string? ImageUrl,
    [property: Id(7)] int Capacity,
    [property: Id(8)] bool Private,
    [property: Id(9)] bool Nominative,
    [property: Id(10)] ImmutableArray<EventPrice> Prices,
    [property: Id(11)] int? HoldSeconds = null);

/// <summary>Seats taken (held or confirmed) at one price, and how many remain there.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.PriceAvailability")]
public sealed record PriceAvailability([property: Id(0)] string PriceId, [property: Id(1)] int Taken, [property: Id(2)] int Remaining);

/// <summary>An event as its grain knows it: definition, state, and live seat counts.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.EventDetails")]
public sealed record EventDetails(
    [property: Id(0)] EventId Id,
    [property: Id(1)] VenueId Venue,
    [property: Id(2)] EventState State,
    [property: Id(3)] EventDefinition Definition,
    [property: Id(4)] int Taken,
    [property: Id(5)] int Confirmed,
    [property: Id(6)] ImmutableArray<PriceAvailability> Availability);

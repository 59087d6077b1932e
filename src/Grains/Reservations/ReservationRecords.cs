using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Reservations;

/// <summary>Where a reservation is. Stored as smallint: values are frozen.</summary>
public enum ReservationState : short
{
    /// <summary>Seats held until <see cref="Reservation.HeldUntil"/>, waiting for payment or the e-mailed link.</summary>
    Held = 0,

    /// <summary>Paid (or confirmed by link, when free): its tickets exist.</summary>
    Confirmed = 1,

    /// <summary>Cancelled by the customer, the venue, or with its event; money paid went back to the paying wallet.</summary>
    Cancelled = 2,

    /// <summary>The hold ran out before confirmation: its seats were freed.</summary>
    Expired = 3,
}

/// <summary>One seat asked for: its price, the amount chosen for a pay-what-you-want price, and the holder's name when nominative.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.SeatRequest")]
public sealed record SeatRequest([property: Id(0)] string PriceId, [property: Id(1)] long? Amount = null, [property: Id(2)] string? HolderName = null);

/// <summary>One seat as reserved: its price, what it costs, and its holder.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.ReservedSeat")]
public sealed record ReservedSeat([property: Id(0)] string PriceId, [property: Id(1)] long Amount, [property: Id(2)] string? HolderName);

/// <summary>A customer's request for seats; the same key (per customer) returns the first reservation.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.ReserveRequest")]
public sealed record ReserveRequest([property: Id(0)] EmailAddress Customer, [property: Id(1)] IdempotencyKey Key, [property: Id(2)] ImmutableArray<SeatRequest> Seats);

/// <summary>One ticket of a confirmed reservation: its signed code and whether it was scanned.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.TicketSummary")]
public sealed record TicketSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string PriceId,
    [property: Id(2)] string? HolderName,
    [property: Id(3)] string Code,
    [property: Id(4)] bool Cancelled,
    [property: Id(5)] DateTimeOffset? CheckedInAt);

/// <summary>
/// A reservation as answered to its customer or venue. <see cref="Refunded"/>: money it took went back to the paying wallet
/// (cancelled after payment, or expired with a payment that landed too late).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.Reservation")]
public sealed record Reservation(
    [property: Id(0)] Guid Id,
    [property: Id(1)] EventId Event,
    [property: Id(2)] VenueId Venue,
    [property: Id(3)] EmailAddress Customer,
    [property: Id(4)] ReservationState State,
    [property: Id(5)] ImmutableArray<ReservedSeat> Seats,
    [property: Id(6)] long Total,
    [property: Id(7)] DateTimeOffset HeldUntil,
    [property: Id(8)] ImmutableArray<TicketSummary> Tickets,
    [property: Id(9)] bool Refunded = false,
    [property: Id(10)] string? CheckoutSession = null);

/// <summary>How a held reservation is paid.</summary>
public enum ConfirmMeans
{
    /// <summary>Online, from the customer's own wallet (an ordinary ledger sale to the venue).</summary>
    Wallet = 0,

    /// <summary>At the venue's counter: a cashier card of the venue and the customer's card, as any sale there.</summary>
    Counter = 1,

    /// <summary>
    /// Online by card through a Stripe Checkout Session (<see cref="ConfirmRequest.CheckoutSession"/>), already paid at Stripe
    /// on the venue's account: nothing moves in the ledger. Only the session's checkout grain confirms this way, once
    /// Stripe said the session is paid.
    /// </summary>
    Stripe = 2,
}

/// <summary>
/// Confirms a held reservation by payment. <see cref="Wallet"/>: the customer's wallet (online). <see cref="Cashier"/> and
/// <see cref="Card"/>: at the counter. <see cref="Customer"/> is checked against the reservation's owner when given
/// (online); the counter may confirm anyone's, the card paying. <see cref="CheckoutSession"/>: the paid Stripe session (Stripe).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.ConfirmRequest")]
public sealed record ConfirmRequest(
    [property: Id(0)] Guid Reservation,
    [property: Id(1)] ConfirmMeans Means,
    [property: Id(2)] EmailAddress? Customer,
    [property: Id(3)] WalletId? Wallet,
    [property: Id(4)] CardUid? Cashier,
    [property: Id(5)] CardUid? Card,
    [property: Id(6)] string? CheckoutSession = null);

/// <summary>Who checks a ticket in, and where (a till, a door, a phone).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.CheckInRequest")]
public sealed record CheckInRequest([property: Id(0)] Guid Ticket, [property: Id(1)] string By, [property: Id(2)] string Where);

/// <summary>How a check-in ended. Only <see cref="CheckedIn"/> lets the holder in.</summary>
public enum CheckInOutcome
{
    CheckedIn = 0,
    AlreadyCheckedIn = 1,
    TicketCancelled = 2,
    NoTicket = 3,
    WrongDay = 4,
}

/// <summary>
/// A check-in's answer; for a second scan, when, where and by whom the first one was. <see cref="Remaining"/>: for a
/// check-in of a holder (a tap at a door), how many of their confirmed tickets for the event are still unscanned.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Reservations.CheckInResult")]
public sealed record CheckInResult(
    [property: Id(0)] CheckInOutcome Outcome,
    [property: Id(1)] Guid? Ticket,
    [property: Id(2)] string? HolderName,
    [property: Id(3)] DateTimeOffset? CheckedInAt,
    [property: Id(4)] string? CheckedInBy,
    [property: Id(5)] string? CheckedInWhere,
    [property: Id(6)] int Remaining = 0);

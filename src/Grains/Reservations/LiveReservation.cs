using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;

namespace TiBillet.Grains.Reservations;

/// <summary>
/// A held or confirmed reservation as its event grain keeps it in memory (the table holds the same, durably). The flags
/// mark work in flight across an await, so the other calls the grain interleaves see it and step aside.
/// </summary>
internal sealed class LiveReservation(StoredReservation row)
{
    public Guid Id { get; } = row.Id;

    public EmailAddress Customer { get; } = row.Customer;

    public IdempotencyKey Key { get; } = row.Key;

    public byte[] Hash { get; } = row.RequestHash;

    public ImmutableArray<ReservedSeat> Seats { get; } = row.Seats;

    public long Total { get; } = row.Total;

    public DateTimeOffset HeldUntil { get; set; } = row.HeldUntil;

    public byte[]? TokenHash { get; } = row.TokenHash;

    public ReservationState State { get; set; } = row.State;

    public WalletId? Payer { get; set; } = row.PayerWallet;

    public ImmutableArray<PaidMovement> Payment { get; set; } = row.Payment;

    /// <summary>The Stripe Checkout Session that paid it (then its refund goes back through Stripe), or null.</summary>
    public string? CheckoutSession { get; set; } = row.CheckoutSession;

    public ImmutableArray<TicketSummary> Tickets { get; set; } = [.. row.Tickets];

    /// <summary>A payment or confirmation is running: the hold does not expire meanwhile and a second confirm waits its turn.</summary>
    public bool Confirming { get; set; }

    /// <summary>A cancellation is running: check-ins refuse its tickets.</summary>
    public bool Cancelling { get; set; }

    /// <summary>Check-ins running now: a cancellation refuses meanwhile.</summary>
    public int ScansInFlight { get; set; }

    public bool AnyScanned => ScansInFlight > 0 || Tickets.Any(t => t.CheckedInAt is not null);
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

/// <summary>
/// One event, keyed by its <see cref="EventId"/>: its definition, its life (draft, published, cancelled, archived), and
/// the single writer of its seats. Every reservation, confirmation, cancellation and check-in of the event goes through
/// it, so capacity and each price's stock are exact without database locks; each change is committed in PostgreSQL
/// before it is answered. Errors: NOT_FOUND (no such event or reservation), BAD_USER_INPUT (malformed definition or
/// seats), CONFLICT (a change the event's state does not allow, a key reused with another request), SOLD_OUT,
/// LIMIT_EXCEEDED, SALES_CLOSED, HOLD_EXPIRED, TICKET_ALREADY_SCANNED, UNAVAILABLE (database: retry with the same key).
/// </summary>
[Alias("TiBillet.Grains.Events.IEventGrain")]
public interface IEventGrain : IGrainWithGuidKey
{
    /// <summary>Creates the event as a draft at <paramref name="venue"/>. The same venue and definition again returns it; CONFLICT otherwise.</summary>
    [Alias("CreateAsync")]
    Task<EventDetails> CreateAsync(VenueId venue, EventDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Replaces the definition. CONFLICT when cancelled or archived, or when capacity or a stock goes below what is taken.</summary>
    [Alias("UpdateAsync")]
    Task<EventDetails> UpdateAsync(EventDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Publishes a draft (idempotent). CONFLICT when cancelled or archived.</summary>
    [Alias("PublishAsync")]
    Task<EventDetails> PublishAsync(CancellationToken cancellationToken = default);

    /// <summary>Cancels the event and every live reservation, refunding what was paid (idempotent). CONFLICT when archived.</summary>
    [Alias("CancelAsync")]
    Task<EventDetails> CancelAsync(CancellationToken cancellationToken = default);

    /// <summary>Archives the event (idempotent): read only from then on.</summary>
    [Alias("ArchiveAsync")]
    Task<EventDetails> ArchiveAsync(CancellationToken cancellationToken = default);

    /// <summary>The event, or null when it was never created.</summary>
    [Alias("FindAsync")]
    Task<EventDetails?> FindAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Holds seats for the customer, answered once the hold is committed. The same customer and key returns the first
    /// reservation (whatever became of it); the same key with other seats is CONFLICT.
    /// </summary>
    [Alias("ReserveAsync")]
    Task<Reservation> ReserveAsync(ReserveRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pays a held reservation (wallet online or at the counter) and issues its tickets, answered once committed. Confirming a
    /// confirmed reservation returns it. A declined payment throws INSUFFICIENT_FUNDS and leaves the hold as it was.
    /// </summary>
    [Alias("ConfirmAsync")]
    Task<Reservation> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken = default);

    /// <summary>Confirms a free reservation whose e-mailed link token hashes to <paramref name="tokenHash"/>.</summary>
    [Alias("ConfirmFreeAsync")]
    Task<Reservation> ConfirmFreeAsync(Guid reservation, byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a reservation (the customer's own when <paramref name="customer"/> is given), refunding a paid one to the wallet
    /// that paid. TICKET_ALREADY_SCANNED once any of its tickets was checked in. Idempotent.
    /// </summary>
    [Alias("CancelReservationAsync")]
    Task<Reservation> CancelReservationAsync(Guid reservation, EmailAddress? customer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a reservation only while it is held (its online payment failed or was abandoned), giving its seats back; a
    /// confirmed, cancelled or expired one stays as it is. Returns the reservation, or null.
    /// </summary>
    [Alias("ReleaseHoldAsync")]
    Task<Reservation?> ReleaseHoldAsync(Guid reservation, CancellationToken cancellationToken = default);

    /// <summary>A reservation of this event (the customer's own when <paramref name="customer"/> is given), or null.</summary>
    [Alias("FindReservationAsync")]
    Task<Reservation?> FindReservationAsync(Guid reservation, EmailAddress? customer, CancellationToken cancellationToken = default);

    /// <summary>Checks a ticket of this event in: succeeds once; later scans say when, where and by whom.</summary>
    [Alias("CheckInAsync")]
    Task<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks in the first unscanned confirmed ticket of <paramref name="customer"/> (a tap at a door); with none left, the last scan's answer.</summary>
    [Alias("CheckInHolderAsync")]
    Task<CheckInResult> CheckInHolderAsync(EmailAddress customer, string by, string where, CancellationToken cancellationToken = default);
}

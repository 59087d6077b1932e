using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

// Online card payment: a Stripe payment that failed or was abandoned gives its seats back at once.
public sealed partial class EventGrain
{
    public async Task<Reservation?> ReleaseHoldAsync(Guid reservation, CancellationToken cancellationToken = default)
    {
        if (_event is null)
        {
            return null;
        }

        if (_reservations.TryGetValue(reservation, out var live) && live.State == ReservationState.Held && !live.Confirming)
        {
            // Held only: a reservation confirmed meanwhile (another means) keeps its seats.
            await CancelLiveAsync(live, scannedAllowed: false, cancellationToken);
        }

        return await FindReservationAsync(reservation, null, cancellationToken);
    }
}

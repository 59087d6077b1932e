using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>The rules of paying a reservation's tickets online. Pure: tested without a cluster.</summary>
public static class OnlineTickets
{
    /// <summary>
    /// Refuses a reservation that cannot be paid online now: BAD_USER_INPUT when free (its e-mailed link confirms it),
    /// HOLD_EXPIRED once its hold ran out, CONFLICT when confirmed or cancelled.
    /// </summary>
    public static void RequirePayable(Reservation reservation, DateTimeOffset now)
    {
        if (reservation.Total == 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A free reservation is confirmed by the link e-mailed to its customer.");
        }

        switch (reservation.State)
        {
            case ReservationState.Confirmed:
                throw new DomainException(ErrorCodes.Conflict, "This reservation is confirmed already.");
            case ReservationState.Cancelled:
                throw new DomainException(ErrorCodes.Conflict, "This reservation was cancelled.");
            case ReservationState.Expired:
                throw new DomainException(ErrorCodes.HoldExpired, "This reservation's hold ran out: its seats were freed.");
        }

        if (now >= reservation.HeldUntil)
        {
            throw new DomainException(ErrorCodes.HoldExpired, "This reservation's hold ran out: its seats were freed.");
        }
    }

    /// <summary>The line Stripe's page shows: the event and the number of seats.</summary>
    public static string Label(EventDefinition definition, Reservation reservation)
    {
        var label = $"{definition.Title} · {reservation.Seats.Length} seat(s)";
        return label.Length > 200 ? label[..200] : label;
    }

    /// <summary>Stripe's idempotency key for creating a reservation's session.</summary>
    public static string StripeKey(Guid reservation) => "reservation:" + reservation.ToString("N") + ":checkout";
}

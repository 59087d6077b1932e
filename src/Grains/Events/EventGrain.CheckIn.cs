using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

// Check-in: a ticket lets one person in, once. Through this grain, so a check-in and a cancellation of the same
// reservation never cross: each marks its reservation before its write and the other steps aside.
public sealed partial class EventGrain
{
    private static readonly TimeSpan DoorsEarly = TimeSpan.FromHours(12);

    public async Task<CheckInResult> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken = default)
    {
        var e = RequireEvent();
        if (e.State == EventState.Cancelled)
        {
            throw new DomainException(ErrorCodes.TicketCancelled, "This event was cancelled.");
        }

        if (!_ticketOwner.TryGetValue(request.Ticket, out var owner) || !_reservations.TryGetValue(owner, out var live))
        {
            // Not a live ticket here: cancelled with its reservation, or unknown. The row says which.
            var row = await store.CheckInAsync(_id, request.Ticket, request.By, request.Where, cancellationToken);
            return row is null
                ? new CheckInResult(CheckInOutcome.NoTicket, null, null, null, null, null)
                : throw new DomainException(ErrorCodes.TicketCancelled, "This ticket was cancelled.");
        }

        if (live.Cancelling || live.State != ReservationState.Confirmed)
        {
            throw new DomainException(ErrorCodes.TicketCancelled, "This ticket was cancelled.");
        }

        if (!OnToday(e))
        {
            return new CheckInResult(CheckInOutcome.WrongDay, request.Ticket, null, null, null, null);
        }

        return await StampAsync(live, request.Ticket, request.By, request.Where, cancellationToken);
    }

    public async Task<CheckInResult> CheckInHolderAsync(EmailAddress customer, string by, string where, CancellationToken cancellationToken = default)
    {
        var e = RequireEvent();
        var mine = _reservations.Values.Where(r => r.Customer == customer && r.State == ReservationState.Confirmed && !r.Cancelling).ToList();
        if (e.State != EventState.Published || mine.Count == 0)
        {
            return new CheckInResult(CheckInOutcome.NoTicket, null, null, null, null, null);
        }

        if (!OnToday(e))
        {
            return new CheckInResult(CheckInOutcome.WrongDay, null, null, null, null, null);
        }

        foreach (var live in mine)
        {
            if (live.Tickets.FirstOrDefault(t => t.CheckedInAt is null && !t.Cancelled) is { } ticket)
            {
                var stamped = await StampAsync(live, ticket.Id, by, where, cancellationToken);
                // Counted after the stamp: taps interleaved meanwhile have marked theirs.
                return stamped with { Remaining = mine.Sum(r => r.Tickets.Count(t => t.CheckedInAt is null && !t.Cancelled)) };
            }
        }

        var last = mine.SelectMany(r => r.Tickets).Where(t => t.CheckedInAt is not null).MaxBy(t => t.CheckedInAt);
        return last is null
            ? new CheckInResult(CheckInOutcome.NoTicket, null, null, null, null, null)
            : await StampAsync(mine.First(r => r.Tickets.Contains(last)), last.Id, by, where, cancellationToken);
    }

    private async Task<CheckInResult> StampAsync(LiveReservation live, Guid ticket, string by, string where, CancellationToken cancellationToken)
    {
        live.ScansInFlight++;
        try
        {
            var row = await store.CheckInAsync(_id, ticket, by, where, cancellationToken);
            if (row is not { } r)
            {
                return new CheckInResult(CheckInOutcome.NoTicket, null, null, null, null, null);
            }

            if (r.Cancelled)
            {
                throw new DomainException(ErrorCodes.TicketCancelled, "This ticket was cancelled.");
            }

            live.Tickets = [.. live.Tickets.Select(t => t.Id == ticket ? t with { CheckedInAt = r.At } : t)];
            return new CheckInResult(r.Fresh ? CheckInOutcome.CheckedIn : CheckInOutcome.AlreadyCheckedIn, ticket, r.Holder, r.At, r.By, r.Where);
        }
        finally
        {
            live.ScansInFlight--;
        }
    }

    /// <summary>Whether today, in the venue's time zone, is a day of the event (doors may open some hours early).</summary>
    private bool OnToday(StoredEvent e)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(e.Definition.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.Definition.StartsAt - DoorsEarly, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.Definition.EndsAt, zone).DateTime);
        return today >= first && today <= last;
    }
}

using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.PointOfSale;

/// <summary>An event as the door names it.</summary>
public sealed record DoorEvent(EventId Id, string Title, DateTimeOffset StartsAt);

/// <summary>What a tap at a door answers: its outcome, the reader's text, and what was found about the ticket.</summary>
public sealed record DoorVerdict(TapOutcome Outcome, string Message, DoorAdmission? Door = null);

/// <summary>
/// The door's decisions, step by step, each from facts already read (pure, tested without a cluster). The steps run in
/// this order and the first verdict stands: the card (<see cref="ForCard"/>), whether an event is under way
/// (<see cref="ForRunning"/>), the holder's check-ins at the running events (<see cref="ForCheckIns"/>), and otherwise
/// whether the holder has a ticket for another event of the venue (<see cref="Otherwise"/>). A door only ever looks at
/// its own venue's events: a ticket of another venue is no ticket here.
/// </summary>
public static class DoorPolicy
{
    /// <summary>How long before its start an event counts as under way at the door (doors open early).</summary>
    public static readonly TimeSpan DoorsOpenEarly = TimeSpan.FromHours(3);

    /// <summary>
    /// The card's part: unknown, lost, blocked and anonymous cards stop here. Null means "go on with <paramref name="holder"/>".
    /// <paramref name="state"/> is null for an unknown card; <paramref name="holder"/> is the e-mail of the account the card is linked to.
    /// </summary>
    public static DoorVerdict? ForCard(CardState? state, bool blocked, EmailAddress? holder) => (state, blocked, holder) switch
    {
        (null, _, _) => new(TapOutcome.UnknownCard, "This card is not registered."),
        (CardState.Lost, _, _) => new(TapOutcome.Refused, "This card was declared lost."),
        (_, true, _) => new(TapOutcome.Refused, "This card is blocked."),
        (not CardState.Identified, _, _) or (_, _, null) => new(TapOutcome.AnonymousCard, "This card is not linked to an account: no ticket on it."),
        _ => null,
    };

    /// <summary>With no event under way at the venue, no ticket can be let in. Null means "go on".</summary>
    public static DoorVerdict? ForRunning(int runningEvents) =>
        runningEvents > 0 ? null : new(TapOutcome.NoEventRunning, "No event is under way here now.");

    /// <summary>
    /// The holder's check-ins at the running events, in the order they were asked (soonest event first; asking stops at
    /// the first CHECKED_IN). A fresh check-in wins; otherwise a ticket already scanned answers when, where and by whom.
    /// Null when none of the running events has a ticket of the holder.
    /// </summary>
    public static DoorVerdict? ForCheckIns(IReadOnlyList<(DoorEvent Event, CheckInResult Result)> checkIns)
    {
        foreach (var (e, r) in checkIns)
        {
            if (r.Outcome == CheckInOutcome.CheckedIn)
            {
                var more = r.Remaining > 0 ? $" {r.Remaining} more to let in." : "";
                var who = r.HolderName is { Length: > 0 } name ? $"{name}, welcome" : "Welcome";
                return new(TapOutcome.CheckedIn, $"{who} to {e.Title}.{more}", Admission(e, r));
            }
        }

        var scanned = checkIns.Where(c => c.Result.Outcome == CheckInOutcome.AlreadyCheckedIn).ToList();
        if (scanned.Count > 0)
        {
            var last = scanned.MaxBy(c => c.Result.CheckedInAt);
            var already = last.Event;
            var at = last.Result.CheckedInAt is { } when ? $" at {when:HH:mm} UTC" : "";
            var where = last.Result.CheckedInWhere is { Length: > 0 } w ? $" ({w})" : "";
            return new(TapOutcome.AlreadyIn, $"Already in: every ticket for {already.Title} was scanned{at}{where}.", Admission(already, last.Result));
        }

        var wrongDay = checkIns.FirstOrDefault(c => c.Result.Outcome == CheckInOutcome.WrongDay);
        return wrongDay.Event is { } other ? WrongDay(other) : null;
    }

    /// <summary>The last step: a ticket for another event of the venue (<paramref name="elsewhere"/>) is WRONG_DAY, none is NO_TICKET.</summary>
    public static DoorVerdict Otherwise(DoorEvent? elsewhere) =>
        elsewhere is { } e ? WrongDay(e) : new(TapOutcome.NoTicket, "No ticket for the event under way here.");

    private static DoorVerdict WrongDay(DoorEvent e) =>
        new(TapOutcome.WrongDay, $"This ticket is for {e.Title}, {e.StartsAt:yyyy-MM-dd HH:mm} UTC.",
            new DoorAdmission(e.Id, e.Title, e.StartsAt, null, null, 0, null, null, null));

    private static DoorAdmission Admission(DoorEvent e, CheckInResult r) =>
        new(e.Id, e.Title, e.StartsAt, r.Ticket, r.HolderName, r.Remaining, r.CheckedInAt, r.CheckedInBy, r.CheckedInWhere);
}

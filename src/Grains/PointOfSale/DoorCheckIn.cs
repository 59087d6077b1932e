using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// What a tap at a door till does: reads the facts <see cref="DoorPolicy"/> decides on, step by step, and checks the
/// holder in through the running event's grain (the single writer of its tickets, so a ticket is let in once). It never
/// moves money. The holder is the account the card is linked to; each tap lets in the next unscanned ticket.
/// </summary>
public sealed class DoorCheckIn(IGrainFactory grains, CardStore cards, AgendaQueries agenda, EventStore events, TimeProvider clock)
{
    /// <summary>Checks in the holder of <paramref name="card"/> at <paramref name="venue"/>; <paramref name="by"/> and <paramref name="where"/> are stamped on the ticket.</summary>
    public async Task<DoorVerdict> CheckInAsync(VenueId venue, CardUid card, string by, string where, CancellationToken cancellationToken = default)
    {
        var row = await cards.FindByUidAsync(card, cancellationToken);
        var holder = row is { State: CardState.Identified, UserWallet: { } wallet } ? await cards.FindOwnerEmailAsync(wallet, cancellationToken) : null;
        var stop = DoorPolicy.ForCard(row?.State, row?.BlockedBy is not null, holder);
        if (stop is not null || holder is not { } customer)
        {
            return stop ?? DoorPolicy.Otherwise(null);
        }

        var now = clock.GetUtcNow();
        var running = await agenda.RunningAtAsync(venue, now, DoorPolicy.DoorsOpenEarly, cancellationToken);
        if (DoorPolicy.ForRunning(running.Length) is { } none)
        {
            return none;
        }

        var checkIns = new List<(DoorEvent, CheckInResult)>();
        foreach (var id in running)
        {
            var grain = grains.GetEvent(id);
            var result = await grain.CheckInHolderAsync(customer, by, where, cancellationToken);
            if (result.Outcome == CheckInOutcome.NoTicket || await grain.FindAsync(cancellationToken) is not { } details)
            {
                continue;
            }

            checkIns.Add((new DoorEvent(id, details.Definition.Title, details.Definition.StartsAt), result));
            if (result.Outcome == CheckInOutcome.CheckedIn)
            {
                break;
            }
        }

        if (DoorPolicy.ForCheckIns(checkIns) is { } verdict)
        {
            return verdict;
        }

        var elsewhere = await events.FindHolderEventAsync(venue, customer, running, now, cancellationToken);
        return DoorPolicy.Otherwise(elsewhere is { } e ? new DoorEvent(e.Id, e.Title, e.StartsAt) : null);
    }
}

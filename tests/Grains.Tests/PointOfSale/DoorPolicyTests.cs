using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Tests.PointOfSale;

/// <summary>The door's decisions from facts already read, without a cluster.</summary>
public sealed class DoorPolicyTests
{
    private static readonly EmailAddress Ada = new("ada@example.org");
    private static readonly DoorEvent Concert = new(new EventId(Guid.NewGuid()), "Concert", new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero));
    private static readonly DoorEvent Matinee = new(new EventId(Guid.NewGuid()), "Matinée", new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero));
    private static readonly DateTimeOffset Scanned = new(2026, 12, 7, 19, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, false, TapOutcome.UnknownCard)]
    [InlineData(CardState.Lost, false, TapOutcome.Refused)]
    [InlineData(CardState.Identified, true, TapOutcome.Refused)]
    [InlineData(CardState.Anonymous, false, TapOutcome.AnonymousCard)]
    [InlineData(CardState.Blank, false, TapOutcome.AnonymousCard)]
    public void A_card_without_a_usable_holder_stops_at_the_card(CardState? state, bool blocked, TapOutcome expected)
    {
        var verdict = DoorPolicy.ForCard(state, blocked, state == CardState.Identified ? Ada : null);

        Assert.Equal(expected, verdict?.Outcome);
    }

    [Fact]
    public void An_identified_card_goes_on_with_its_holder() => Assert.Null(DoorPolicy.ForCard(CardState.Identified, false, Ada));

    [Fact]
    public void No_running_event_stops_the_tap() =>
        Assert.Equal(TapOutcome.NoEventRunning, DoorPolicy.ForRunning(0)?.Outcome);

    [Fact]
    public void A_running_event_goes_on() => Assert.Null(DoorPolicy.ForRunning(1));

    [Fact]
    public void A_fresh_check_in_wins_and_says_how_many_are_left_to_let_in()
    {
        var ticket = Guid.NewGuid();
        var verdict = DoorPolicy.ForCheckIns(
        [
            (Matinee, new CheckInResult(CheckInOutcome.AlreadyCheckedIn, Guid.NewGuid(), null, Scanned, "cashier card A", "Door")),
            (Concert, new CheckInResult(CheckInOutcome.CheckedIn, ticket, "Ada Lovelace", Scanned, "cashier card A", "Door", Remaining: 2)),
        ])!;

        Assert.Equal(TapOutcome.CheckedIn, verdict.Outcome);
        Assert.Equal(new DoorAdmission(Concert.Id, "Concert", Concert.StartsAt, ticket, "Ada Lovelace", 2, Scanned, "cashier card A", "Door"), verdict.Door);
        Assert.Equal("Ada Lovelace, welcome to Concert. 2 more to let in.", verdict.Message);
    }

    [Fact]
    public void With_every_ticket_scanned_the_latest_scan_answers_when_where_and_by_whom()
    {
        var earlier = Scanned.AddHours(-1);
        var verdict = DoorPolicy.ForCheckIns(
        [
            (Matinee, new CheckInResult(CheckInOutcome.AlreadyCheckedIn, Guid.NewGuid(), null, earlier, "cashier card B", "Side door")),
            (Concert, new CheckInResult(CheckInOutcome.AlreadyCheckedIn, Guid.NewGuid(), null, Scanned, "cashier card A", "Main door")),
        ])!;

        Assert.Equal(TapOutcome.AlreadyIn, verdict.Outcome);
        Assert.Equal((Concert.Id, Scanned, "cashier card A", "Main door"), (verdict.Door!.Event, verdict.Door.CheckedInAt, verdict.Door.CheckedInBy, verdict.Door.CheckedInWhere));
    }

    [Fact]
    public void No_ticket_at_the_running_events_goes_on_to_the_last_step() => Assert.Null(DoorPolicy.ForCheckIns([]));

    [Fact]
    public void A_ticket_for_another_event_of_the_venue_is_the_wrong_day()
    {
        var verdict = DoorPolicy.Otherwise(Matinee);

        Assert.Equal(TapOutcome.WrongDay, verdict.Outcome);
        Assert.Equal(Matinee.Id, verdict.Door!.Event);
        Assert.Null(verdict.Door.Ticket);
    }

    [Fact]
    public void No_ticket_anywhere_at_the_venue_is_no_ticket()
    {
        var verdict = DoorPolicy.Otherwise(null);

        Assert.Equal(TapOutcome.NoTicket, verdict.Outcome);
        Assert.Null(verdict.Door);
    }
}

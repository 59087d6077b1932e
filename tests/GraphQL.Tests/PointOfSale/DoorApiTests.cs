using TiBillet.GraphQL.Tests.Events;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.PointOfSale;

/// <summary>A till in DOOR mode: a tap checks the card holder in for the event under way at the venue, and never moves money.</summary>
[Collection(SiloCollection.Name)]
public sealed class DoorApiTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_holder_with_a_ticket_for_the_running_event_is_checked_in_and_no_money_moves()
    {
        var door = await DoorScenario.CreateAsync(silo);
        var concert = await door.Events.PublishedAsync(door.Events.Input(title: "Concert"));
        var (_, _, card) = await door.HolderAsync(concert);
        var balance = await door.Events.Net.TlfBalanceAsync(card);
        var ledgerRows = await silo.LedgerRowsAsync();

        var tap = await door.TapAsync(card);

        Assert.Equal("CHECKED_IN", DoorScenario.Outcome(tap));
        Assert.Null(tap["amount"]);
        Assert.Equal(concert, tap["door"]!["eventId"]!.GetValue<string>());
        Assert.Equal("Concert", tap["door"]!["eventTitle"]!.GetValue<string>());
        Assert.Equal("Guest 1", tap["door"]!["holderName"]!.GetValue<string>());
        Assert.Equal(0, tap["door"]!["remaining"]!.GetValue<int>());
        Assert.Equal("Main door · Door reader", tap["door"]!["checkedInWhere"]!.GetValue<string>());
        Assert.Equal(balance, await door.Events.Net.TlfBalanceAsync(card));
        Assert.Equal(ledgerRows, await silo.LedgerRowsAsync());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE event_id = $1::uuid AND checked_in_at IS NOT NULL", concert));
    }

    [Fact]
    public async Task Each_tap_lets_in_the_next_unscanned_ticket_then_answers_already_in_with_when_where_and_by_whom()
    {
        var door = await DoorScenario.CreateAsync(silo);
        var concert = await door.Events.PublishedAsync(door.Events.Input());
        var (_, _, card) = await door.HolderAsync(concert, seats: 2);

        var first = await door.TapAsync(card);
        var second = await door.TapAsync(card);
        var third = await door.TapAsync(card);

        Assert.Equal(("CHECKED_IN", 1), (DoorScenario.Outcome(first), first["door"]!["remaining"]!.GetValue<int>()));
        Assert.Equal(("CHECKED_IN", 0), (DoorScenario.Outcome(second), second["door"]!["remaining"]!.GetValue<int>()));
        Assert.NotEqual(first["door"]!["ticketId"]!.GetValue<string>(), second["door"]!["ticketId"]!.GetValue<string>());
        Assert.Equal("ALREADY_IN", DoorScenario.Outcome(third));
        Assert.Equal(second["door"]!["checkedInAt"]!.GetValue<DateTimeOffset>(), third["door"]!["checkedInAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("cashier card " + door.Events.Net.Cashier, third["door"]!["checkedInBy"]!.GetValue<string>());
        Assert.Equal("Main door · Door reader", third["door"]!["checkedInWhere"]!.GetValue<string>());
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE event_id = $1::uuid AND checked_in_at IS NOT NULL", concert));
    }

    [Fact]
    public async Task A_holder_without_a_ticket_is_told_no_ticket()
    {
        var door = await DoorScenario.CreateAsync(silo);
        await door.Events.PublishedAsync(door.Events.Input());
        var (_, _, card) = await door.Events.CustomerWithMoneyAsync(1_000);

        Assert.Equal("NO_TICKET", DoorScenario.Outcome(await door.TapAsync(card)));
    }

    [Fact]
    public async Task A_ticket_for_another_day_of_the_venue_is_the_wrong_day()
    {
        var door = await DoorScenario.CreateAsync(silo);
        await door.Events.PublishedAsync(door.Events.Input(title: "Tonight"));
        var later = await door.Events.PublishedAsync(door.Events.Input(title: "Next week", startsAt: DateTimeOffset.UtcNow.AddDays(7)));
        var (_, _, card) = await door.HolderAsync(later);

        var tap = await door.TapAsync(card);

        Assert.Equal("WRONG_DAY", DoorScenario.Outcome(tap));
        Assert.Equal((later, "Next week"), (tap["door"]!["eventId"]!.GetValue<string>(), tap["door"]!["eventTitle"]!.GetValue<string>()));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE event_id = $1::uuid AND checked_in_at IS NOT NULL", later));
    }

    [Fact]
    public async Task With_no_event_under_way_the_door_says_so()
    {
        var door = await DoorScenario.CreateAsync(silo);
        var later = await door.Events.PublishedAsync(door.Events.Input(startsAt: DateTimeOffset.UtcNow.AddDays(7)));
        var (_, _, card) = await door.HolderAsync(later);

        Assert.Equal("NO_EVENT_RUNNING", DoorScenario.Outcome(await door.TapAsync(card)));
    }

    [Fact]
    public async Task An_anonymous_card_has_no_tickets_and_an_unknown_card_is_unknown()
    {
        var door = await DoorScenario.CreateAsync(silo);
        await door.Events.PublishedAsync(door.Events.Input());
        var anonymous = await door.Events.Net.FundedCardAsync(500);

        Assert.Equal("ANONYMOUS_CARD", DoorScenario.Outcome(await door.TapAsync(anonymous)));
        Assert.Equal("UNKNOWN_CARD", DoorScenario.Outcome(await door.TapAsync(CashlessNetwork.NewUid())));
    }

    [Fact]
    public async Task A_closed_door_refuses_until_a_cashier_card_opens_it()
    {
        var door = await DoorScenario.CreateAsync(silo);
        var concert = await door.Events.PublishedAsync(door.Events.Input());
        var (_, _, card) = await door.HolderAsync(concert);
        Assert.Equal("TILL_CLOSED", DoorScenario.Outcome(await door.TapAsync(door.Events.Net.Cashier)));

        Assert.Equal("REFUSED", DoorScenario.Outcome(await door.TapAsync(card)));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE event_id = $1::uuid AND checked_in_at IS NOT NULL", concert));
    }

    /// <summary>A door only looks at its own venue's events: another venue's ticket is no ticket there (its code would be TICKET_WRONG_VENUE at checkIn).</summary>
    [Fact]
    public async Task A_ticket_of_another_venue_is_no_ticket_at_this_door()
    {
        var here = await DoorScenario.CreateAsync(silo);
        var there = await DoorScenario.CreateAsync(silo);
        await here.Events.PublishedAsync(here.Events.Input());
        var elsewhere = await there.Events.PublishedAsync(there.Events.Input());
        var (_, _, card) = await there.HolderAsync(elsewhere);

        Assert.Equal("NO_TICKET", DoorScenario.Outcome(await here.TapAsync(card)));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE event_id = $1::uuid AND checked_in_at IS NOT NULL", elsewhere));
        Assert.Equal("CHECKED_IN", DoorScenario.Outcome(await there.TapAsync(card)));
    }

    [Fact]
    public async Task Only_the_venue_admin_sets_a_till_mode()
    {
        var door = await DoorScenario.CreateAsync(silo);
        var other = await EventScenario.CreateAsync(silo);
        const string set = "mutation($i: SetPointOfSaleModeInput!) { setPointOfSaleMode(input: $i) { mode pendingRequest { id } } }";
        var input = new { i = new { venueId = door.Venue, pointOfSaleId = "bar", mode = "DOOR" } };

        Assert.Equal("FORBIDDEN", (await silo.PostAsync(set, input, await silo.StaffAsync(other.Venue, "CASHIER"))).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(set, input, await silo.StaffAsync(other.Venue, "ADMIN"))).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(set, input, await silo.StaffAsync(door.Venue, "CASHIER"))).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(set, input, door.Device)).ErrorCode());
        Assert.Equal("SALE", (await silo.PostAsync("query($v: ID!) { pointOfSale(venueId: $v, pointOfSaleId: \"bar\") { mode } }", new { v = door.Venue }, door.Events.VenueAdmin))
            .Data()["pointOfSale"]!["mode"]!.GetValue<string>());

        var changed = (await silo.PostAsync(set, input, door.Events.VenueAdmin)).Data()["setPointOfSaleMode"]!;

        Assert.Equal("DOOR", changed["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_door_takes_no_payment_and_a_till_set_back_to_sale_takes_them_again()
    {
        var door = await DoorScenario.CreateAsync(silo);
        const string request = "mutation($i: RequestPaymentInput!) { requestPayment(input: $i) { pendingRequest { amount } } }";
        var payment = new { i = new { venueId = door.Venue, pointOfSaleId = "door", amount = 500L } };

        Assert.Equal("CONFLICT", (await silo.PostAsync(request, payment, door.Events.VenueAdmin)).ErrorCode());
        (await silo.PostAsync("mutation($i: SetPointOfSaleModeInput!) { setPointOfSaleMode(input: $i) { mode } }",
            new { i = new { venueId = door.Venue, pointOfSaleId = "door", mode = "SALE" } }, door.Events.VenueAdmin)).Data();
        Assert.Equal(500, (await silo.PostAsync(request, payment, door.Events.VenueAdmin)).Data()["requestPayment"]!["pendingRequest"]!["amount"]!.GetValue<long>());
    }
}

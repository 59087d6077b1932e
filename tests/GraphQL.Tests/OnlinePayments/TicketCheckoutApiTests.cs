using System.Net;
using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Events;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.OnlinePayments;

/// <summary>
/// Tickets paid online by card: a held reservation paid through a Stripe Checkout Session on the venue's connected account
/// (the stand-in), confirmed by the webhook or the return, whichever comes first; refunds through Stripe when the hold ran
/// out first or the reservation is cancelled.
/// </summary>
[Collection(StripeCollection.Name)]
public sealed class TicketCheckoutApiTests(StripeSiloFixture silo)
{
    private const string Session = "sessionId kind status amount venueId eventId reservationId stripeRefundId";
    private const string Pay = "mutation($i: PayReservationOnlineInput!) { payReservationOnline(input: $i) { " + Session + " } }";
    private const string Complete = "mutation($i: CompleteCheckoutInput!) { completeCheckout(input: $i) { " + Session + " } }";
    private const string Read = "query($e: ID!, $r: ID!) { reservation(eventId: $e, reservationId: $r) { state refunded checkoutSessionId tickets { id } } }";

    private StripeStandIn Stripe => silo.Stripe;

    /// <summary>A venue connected to Stripe and a published event of it (seats at 10.00).</summary>
    private async Task<(EventScenario S, string Event, string Account)> ConnectedEventAsync(int capacity = 10, int? holdSeconds = null)
    {
        var s = await EventScenario.CreateAsync(silo);
        var account = "acct_" + Guid.NewGuid().ToString("N")[..16];
        (await silo.PostAsync("mutation($i: SetVenueStripeAccountInput!) { setVenueStripeAccount(input: $i) }",
            new { i = new { venueId = s.Venue, accountId = account } }, s.Net.Admin)).Data();
        return (s, await s.PublishedAsync(s.Input(capacity: capacity, holdSeconds: holdSeconds)), account);
    }

    private static async Task<string> HoldAsync(EventScenario s, string evt, string customer, int seats = 1) =>
        EventScenario.Id((await s.ReserveAsync(evt, customer, [.. Enumerable.Repeat<object>(new { priceId = "full" }, seats)])).Data()["reserve"]!);

    private Task<GraphQLResponse> PayAsync(string evt, string reservation, string customer, string? key = null) =>
        silo.PostAsync(Pay, new { i = new { idempotencyKey = key ?? NewKey(), eventId = evt, reservationId = reservation } }, customer);

    private async Task<string> StartAsync(string evt, string reservation, string customer) =>
        (await PayAsync(evt, reservation, customer)).Data()["payReservationOnline"]!["sessionId"]!.GetValue<string>();

    private async Task<JsonNode> CompleteAsync(string customer, string session) =>
        (await silo.PostAsync(Complete, new { i = new { sessionId = session } }, customer)).Data()["completeCheckout"]!;

    private async Task<JsonNode> ReservationAsync(string evt, string reservation, string customer) =>
        (await silo.PostAsync(Read, new { e = evt, r = reservation }, customer)).Data()["reservation"]!;

    private Task<long> StatusAsync(string session) => silo.ScalarAsync("SELECT status FROM checkout_sessions WHERE session_id = $1", session);

    private async Task<long> TakenAsync(string evt) =>
        (await silo.PostAsync("query($id: ID!) { event(id: $id) { taken } }", new { id = evt })).Data()["event"]!["taken"]!.GetValue<long>();

    [Fact]
    public async Task The_webhook_first_confirms_the_reservation_as_a_direct_charge_and_the_return_finds_it_done()
    {
        var (s, evt, account) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer, seats: 2);
        var ledger = await silo.LedgerRowsAsync();

        var started = (await PayAsync(evt, reservation, customer)).Data()["payReservationOnline"]!;
        var id = started["sessionId"]!.GetValue<string>();
        var again = (await PayAsync(evt, reservation, customer)).Data()["payReservationOnline"]!;
        Stripe.Pay(id);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var afterHook = await ReservationAsync(evt, reservation, customer);
        var returned = await CompleteAsync(customer, id);

        Assert.Equal(("TICKET", "OPEN", 2000L), (started["kind"]!.GetValue<string>(), started["status"]!.GetValue<string>(), started["amount"]!.GetValue<long>()));
        Assert.Equal((evt, reservation), (started["eventId"]!.GetValue<string>(), started["reservationId"]!.GetValue<string>()));
        Assert.Equal(id, again["sessionId"]!.GetValue<string>());
        Assert.Equal(account, Stripe.AccountOf(id));
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal("CONFIRMED", afterHook["state"]!.GetValue<string>());
        Assert.Equal(id, afterHook["checkoutSessionId"]!.GetValue<string>());
        Assert.Equal(2, afterHook["tickets"]!.AsArray().Count);
        Assert.Equal("COMPLETED", returned["status"]!.GetValue<string>());
        Assert.Equal(afterHook["tickets"]!.ToJsonString(), (await ReservationAsync(evt, reservation, customer))["tickets"]!.ToJsonString());
        // Paid on the venue's own Stripe account: nothing moved in the ledger.
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task The_return_first_confirms_and_the_late_webhook_changes_nothing()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var id = await StartAsync(evt, reservation, customer);
        Stripe.Pay(id);

        var returned = await CompleteAsync(customer, id);
        var confirmed = await ReservationAsync(evt, reservation, customer);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);

        Assert.Equal("COMPLETED", returned["status"]!.GetValue<string>());
        Assert.Equal("CONFIRMED", confirmed["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal(confirmed.ToJsonString(), (await ReservationAsync(evt, reservation, customer)).ToJsonString());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE reservation_id = $1::uuid", reservation));
    }

    [Fact]
    public async Task A_delayed_payment_keeps_the_hold_until_it_succeeds_then_confirms()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var id = await StartAsync(evt, reservation, customer);
        Stripe.Pay(id, delayed: true);

        using var completed = await Stripe.SendEventAsync("checkout.session.completed", id);
        var waiting = await ReservationAsync(evt, reservation, customer);
        Stripe.Settle(id, succeeded: true);
        using var succeeded = await Stripe.SendEventAsync("checkout.session.async_payment_succeeded", id);

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("HELD", waiting["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, succeeded.StatusCode);
        Assert.Equal("CONFIRMED", (await ReservationAsync(evt, reservation, customer))["state"]!.GetValue<string>());
        Assert.Equal("COMPLETED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delayed_payment_that_fails_releases_the_reservation()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var id = await StartAsync(evt, reservation, customer);
        Stripe.Pay(id, delayed: true);
        using var completed = await Stripe.SendEventAsync("checkout.session.completed", id);
        var takenWhileWaiting = await TakenAsync(evt);
        Stripe.Settle(id, succeeded: false);

        using var failed = await Stripe.SendEventAsync("checkout.session.async_payment_failed", id);
        var released = await ReservationAsync(evt, reservation, customer);

        Assert.Equal(1, takenWhileWaiting);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("FAILED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
        Assert.Equal("CANCELLED", released["state"]!.GetValue<string>());
        Assert.False(released["refunded"]!.GetValue<bool>());
        Assert.Equal(0, await TakenAsync(evt));
    }

    [Fact]
    public async Task A_session_that_expires_unpaid_releases_the_seats_at_once_and_a_replayed_webhook_changes_nothing()
    {
        var (s, evt, _) = await ConnectedEventAsync(capacity: 2);
        var (_, customer) = silo.NewCustomer();
        var (_, other) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer, seats: 2);
        var id = await StartAsync(evt, reservation, customer);
        var soldOut = await s.ReserveAsync(evt, other, [new { priceId = "full" }]);
        var refundsBefore = Stripe.RefundsCreated;

        using var expired = await Stripe.ExpireAsync(id);
        var released = await ReservationAsync(evt, reservation, customer);
        var takenAfterExpiry = await TakenAsync(evt);
        var retaken = await HoldAsync(s, evt, other, seats: 2);
        // Stripe delivers an event again under its id, and the same news may come as another event.
        var replayed = Stripe.EventJson("checkout.session.expired", id);
        using var replay = await Stripe.PostEventAsync(replayed);
        using var replayAgain = await Stripe.PostEventAsync(replayed);
        using var duplicate = await Stripe.SendEventAsync("checkout.session.expired", id);

        Assert.Equal("SOLD_OUT", soldOut.ErrorCode());
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Equal("CANCELLED", released["state"]!.GetValue<string>());
        Assert.False(released["refunded"]!.GetValue<bool>());
        Assert.Equal(0, takenAfterExpiry);
        Assert.Equal(4, await StatusAsync(id));
        Assert.Equal("EXPIRED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (replay.StatusCode, replayAgain.StatusCode, duplicate.StatusCode));
        Assert.Equal(released.ToJsonString(), (await ReservationAsync(evt, reservation, customer)).ToJsonString());
        Assert.Equal("HELD", (await ReservationAsync(evt, retaken, other))["state"]!.GetValue<string>());
        Assert.Equal(2, await TakenAsync(evt));
        Assert.Equal(4, await StatusAsync(id));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE reservation_id = $1::uuid", reservation));
        Assert.Equal(refundsBefore, Stripe.RefundsCreated);
    }

    [Fact]
    public async Task A_payment_that_comes_after_the_hold_ran_out_and_the_seat_was_taken_is_refunded_with_its_key()
    {
        var (s, evt, _) = await ConnectedEventAsync(capacity: 1, holdSeconds: 1);
        var (_, late) = silo.NewCustomer();
        var (_, other) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, late);
        var id = await StartAsync(evt, reservation, late);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await silo.ScalarAsync("SELECT state FROM reservations WHERE reservation_id = $1::uuid", reservation) != 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "The hold did not run out.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var taken = await HoldAsync(s, evt, other);
        var refundsBefore = Stripe.RefundsCreated;
        Stripe.Pay(id);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var returned = await CompleteAsync(late, id);
        using var replay = await Stripe.SendEventAsync("checkout.session.completed", id);

        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal("REFUNDED", returned["status"]!.GetValue<string>());
        Assert.StartsWith("re_", returned["stripeRefundId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(refundsBefore + 1, Stripe.RefundsCreated);
        Assert.Equal("EXPIRED", (await ReservationAsync(evt, reservation, late))["state"]!.GetValue<string>());
        Assert.Equal("HELD", (await ReservationAsync(evt, taken, other))["state"]!.GetValue<string>());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM tickets WHERE reservation_id = $1::uuid", reservation));
        // One session per reservation: asking again returns the refunded one, no new charge.
        Assert.Equal(id, (await PayAsync(evt, reservation, late)).Data()["payReservationOnline"]!["sessionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_card_paid_reservation_refunds_through_stripe_and_a_retry_uses_the_same_key()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var id = await StartAsync(evt, reservation, customer);
        Stripe.Pay(id);
        Assert.Equal("COMPLETED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
        var before = Stripe.RefundsCreated;
        var ledger = await silo.LedgerRowsAsync();

        Stripe.LoseNextRefundAnswer();
        var lost = await s.CancelAsync(evt, reservation, customer);
        var stillConfirmed = await ReservationAsync(evt, reservation, customer);
        var retried = (await s.CancelAsync(evt, reservation, customer)).Data()["cancelReservation"]!;

        Assert.Equal("UNAVAILABLE", lost.ErrorCode());
        Assert.Equal("CONFIRMED", stillConfirmed["state"]!.GetValue<string>());
        Assert.Equal("CANCELLED", retried["state"]!.GetValue<string>());
        Assert.True(retried["refunded"]!.GetValue<bool>());
        Assert.Equal(before + 1, Stripe.RefundsCreated);
        Assert.Equal(5, await StatusAsync(id));
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(0, await TakenAsync(evt));
    }

    [Fact]
    public async Task Cancelling_the_event_refunds_its_card_paid_reservations_through_stripe()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var id = await StartAsync(evt, reservation, customer);
        Stripe.Pay(id);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var before = Stripe.RefundsCreated;

        (await s.ActAsync("cancelEvent", evt)).Data();

        var cancelled = await ReservationAsync(evt, reservation, customer);
        Assert.Equal("CANCELLED", cancelled["state"]!.GetValue<string>());
        Assert.True(cancelled["refunded"]!.GetValue<bool>());
        Assert.Equal(before + 1, Stripe.RefundsCreated);
        Assert.Equal("REFUNDED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refusals_another_customers_reservation_a_free_one_an_unconnected_venue_and_staff()
    {
        var (s, evt, _) = await ConnectedEventAsync();
        var (_, customer) = silo.NewCustomer();
        var (_, stranger) = silo.NewCustomer();
        var reservation = await HoldAsync(s, evt, customer);
        var free = await s.PublishedAsync(s.Input(prices: [new { id = "free", name = "Libre", kind = "FREE", amount = 0L }]));
        var freeReservation = EventScenario.Id((await s.ReserveAsync(free, customer, [new { priceId = "free" }])).Data()["reserve"]!);
        var unconnected = await EventScenario.CreateAsync(silo);
        var elsewhere = await unconnected.PublishedAsync(unconnected.Input());
        var elsewhereReservation = await HoldAsync(unconnected, elsewhere, customer);

        Assert.Equal("NOT_FOUND", (await PayAsync(evt, reservation, stranger)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await PayAsync(evt, reservation, s.VenueAdmin)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await PayAsync(free, freeReservation, customer)).ErrorCode());
        Assert.Equal("VENUE_NOT_CONNECTED", (await PayAsync(elsewhere, elsewhereReservation, customer)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await PayAsync(evt, "not-a-reservation", customer)).ErrorCode());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM checkout_sessions WHERE reservation_id = ANY($1)",
            (object)new[] { Guid.Parse(reservation), Guid.Parse(freeReservation), Guid.Parse(elsewhereReservation) }));
    }
}

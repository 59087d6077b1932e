using System.Text.RegularExpressions;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

[Collection(SiloCollection.Name)]
public sealed partial class ReservationApiTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_customer_reserves_and_pays_from_their_wallet_once()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 10));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(5000);

        var held = (await s.ReserveAsync(id, bearer, [new { priceId = "full" }, new { priceId = "full" }], key: "r-1")).Data()["reserve"]!;
        var again = (await s.ReserveAsync(id, bearer, [new { priceId = "full" }, new { priceId = "full" }], key: "r-1")).Data()["reserve"]!;
        var rid = EventScenario.Id(held);
        var ledgerBefore = await silo.LedgerRowsAsync();
        var confirmed = (await s.ConfirmAsync(id, rid, bearer)).Data()["confirmReservation"]!;
        var replay = (await s.ConfirmAsync(id, rid, bearer)).Data()["confirmReservation"]!;

        Assert.Equal("HELD", held["state"]!.GetValue<string>());
        Assert.Equal(rid, EventScenario.Id(again));
        Assert.Equal(2000, held["total"]!.GetValue<long>());
        Assert.Equal("CONFIRMED", confirmed["state"]!.GetValue<string>());
        Assert.Equal(2, confirmed["tickets"]!.AsArray().Count);
        Assert.Equal(confirmed["tickets"]!.ToJsonString(), replay["tickets"]!.ToJsonString());
        Assert.Equal(3000, await s.WalletTlfAsync(bearer));
        Assert.Equal(ledgerBefore + 1, await silo.LedgerRowsAsync());
        Assert.Equal(1L, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1 AND kind = 10", $"reservation:{Guid.Parse(rid):N}:pay"));
        var read = (await silo.PostAsync("query($e: ID!, $r: ID!) { reservation(eventId: $e, reservationId: $r) { state } }", new { e = id, r = rid }, bearer)).Data();
        Assert.Equal("CONFIRMED", read["reservation"]!["state"]!.GetValue<string>());
        var details = (await silo.PostAsync("query($id: ID!) { event(id: $id) { taken sold } }", new { id })).Data()["event"]!;
        Assert.Equal(2, details["sold"]!.GetValue<int>());
    }

    [Fact]
    public async Task Ten_times_the_capacity_at_once_sells_exactly_the_capacity()
    {
        var s = await EventScenario.CreateAsync(silo);
        const int capacity = 20;
        var id = await s.PublishedAsync(s.Input(capacity: capacity * 2,
            prices: [new { id = "full", name = "Plein", kind = "FIXED", amount = 500L, stock = capacity }, new { id = "other", name = "Autre", kind = "FIXED", amount = 700L }]));
        var customers = Enumerable.Range(0, capacity * 10).Select(_ => silo.NewCustomer().Bearer).ToList();

        var answers = await Task.WhenAll(customers.Select(b => s.ReserveAsync(id, b)));

        var held = answers.Where(a => a.ErrorCodes().Count == 0).ToList();
        Assert.Equal(capacity, held.Count);
        Assert.All(answers.Where(a => a.ErrorCodes().Count > 0), a => Assert.Equal("SOLD_OUT", a.ErrorCode()));
        Assert.Equal(capacity, await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE event_id = $1::uuid AND state = 0", id));
        var details = (await silo.PostAsync("query($id: ID!) { event(id: $id) { taken prices { id remaining } } }", new { id })).Data()["event"]!;
        Assert.Equal(capacity, details["taken"]!.GetValue<int>());
        Assert.Equal(0, details["prices"]![0]!["remaining"]!.GetValue<int>());
        Assert.Equal(capacity, details["prices"]![1]!["remaining"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_hold_that_runs_out_frees_its_seats()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 1, holdSeconds: 1));
        var (_, first, _) = await s.CustomerWithMoneyAsync(5000);
        var (_, second) = silo.NewCustomer();

        var held = (await s.ReserveAsync(id, first)).Data()["reserve"]!;
        Assert.Equal("SOLD_OUT", (await s.ReserveAsync(id, second)).ErrorCode());
        await WaitUntilAsync(async () => await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 3", EventScenario.Id(held)) == 1);

        Assert.Equal("HOLD_EXPIRED", (await s.ConfirmAsync(id, EventScenario.Id(held), first)).ErrorCode());
        Assert.Equal("HELD", (await s.ReserveAsync(id, second)).Data()["reserve"]!["state"]!.GetValue<string>());
        Assert.Equal(5000, await s.WalletTlfAsync(first));
    }

    [Fact]
    public async Task A_declined_payment_keeps_the_hold_and_moves_nothing()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(500);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        var before = await silo.LedgerRowsAsync();

        Assert.Equal("INSUFFICIENT_FUNDS", (await s.ConfirmAsync(id, rid, bearer)).ErrorCode());
        Assert.Equal(before, await silo.LedgerRowsAsync());
        Assert.Equal(1L, await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 0", rid));
    }

    [Fact]
    public async Task Limits_windows_and_names_are_enforced()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 50, nominative: true, prices:
        [
            new { id = "full", name = "Plein", kind = "FIXED", amount = 1000L, perCustomerLimit = 2 },
            new { id = "later", name = "Plus tard", kind = "FIXED", amount = 1000L, salesStart = DateTimeOffset.UtcNow.AddDays(1) },
            new { id = "pwyw", name = "Libre", kind = "PAY_WHAT_YOU_WANT", amount = 300L },
        ]));
        var (_, bearer) = silo.NewCustomer();

        Assert.Equal("BAD_USER_INPUT", (await s.ReserveAsync(id, bearer, [new { priceId = "full" }])).ErrorCode());
        (await s.ReserveAsync(id, bearer, [new { priceId = "full", holderName = "Ada" }, new { priceId = "full", holderName = "Bob" }])).Data();
        Assert.Equal("LIMIT_EXCEEDED", (await s.ReserveAsync(id, bearer, [new { priceId = "full", holderName = "Cy" }])).ErrorCode());
        Assert.Equal("SALES_CLOSED", (await s.ReserveAsync(id, bearer, [new { priceId = "later", holderName = "Cy" }])).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await s.ReserveAsync(id, bearer, [new { priceId = "pwyw", amount = 100L, holderName = "Cy" }])).ErrorCode());
        var chosen = (await s.ReserveAsync(id, bearer, [new { priceId = "pwyw", amount = 800L, holderName = "Cy" }])).Data()["reserve"]!;
        Assert.Equal(800, chosen["total"]!.GetValue<long>());
        (await s.ReserveAsync(id, bearer, [new { priceId = "pwyw", amount = 400L, holderName = "Dee" }], key: "same")).Data();
        Assert.Equal("CONFLICT", (await s.ReserveAsync(id, bearer, [new { priceId = "pwyw", amount = 500L, holderName = "Dee" }], key: "same")).ErrorCode());
    }

    [Fact]
    public async Task A_free_reservation_is_confirmed_by_the_mailed_link()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5, prices: [new { id = "free", name = "Gratuit", kind = "FREE", amount = 0L }]));
        var (email, bearer) = silo.NewCustomer();

        var held = (await s.ReserveAsync(id, bearer, [new { priceId = "free" }])).Data()["reserve"]!;
        var mail = await silo.Smtp.NextMessageAsync(email, TestContext.Current.CancellationToken);
        var link = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(link.Success, mail.TextBody);
        const string confirm = "mutation($i: FreeConfirmInput!) { confirmFreeReservation(input: $i) { state total tickets { code } } }";

        Assert.Equal("INVALID_LINK_TOKEN", (await silo.PostAsync(confirm, new { i = new { reservationId = link.Groups[1].Value, token = new string('0', 64) } })).ErrorCode());
        var confirmed = (await silo.PostAsync(confirm, new { i = new { reservationId = link.Groups[1].Value, token = link.Groups[2].Value } })).Data()["confirmFreeReservation"]!;
        Assert.Equal(EventScenario.Id(held), link.Groups[1].Value);
        Assert.Equal("CONFIRMED", confirmed["state"]!.GetValue<string>());
        Assert.Single(confirmed["tickets"]!.AsArray());
    }

    [Fact]
    public async Task Cancelling_a_paid_reservation_refunds_the_wallet_and_a_scanned_one_cannot_be_cancelled()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(3000);
        var (_, stranger) = silo.NewCustomer();
        var first = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        (await s.ConfirmAsync(id, first, bearer)).Data();
        var second = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        var code = (await s.ConfirmAsync(id, second, bearer)).Data()["confirmReservation"]!["tickets"]![0]!["code"]!.GetValue<string>();
        Assert.Equal(1000, await s.WalletTlfAsync(bearer));

        Assert.Equal("NOT_FOUND", (await s.CancelAsync(id, first, stranger)).ErrorCode());
        var cancelled = (await s.CancelAsync(id, first, bearer)).Data()["cancelReservation"]!;
        var again = (await s.CancelAsync(id, first, bearer)).Data()["cancelReservation"]!;
        Assert.Equal("CANCELLED", cancelled["state"]!.GetValue<string>());
        Assert.True(cancelled["refunded"]!.GetValue<bool>());
        Assert.Equal("CANCELLED", again["state"]!.GetValue<string>());
        Assert.Equal(2000, await s.WalletTlfAsync(bearer));

        Assert.Equal("CHECKED_IN", (await s.CheckInAsync(code)).Data()["checkIn"]!["outcome"]!.GetValue<string>());
        Assert.Equal("TICKET_ALREADY_SCANNED", (await s.CancelAsync(id, second, bearer)).ErrorCode());
        Assert.Equal("TICKET_ALREADY_SCANNED", (await s.CancelAsync(id, second, s.VenueAdmin)).ErrorCode());
        Assert.Equal(2000, await s.WalletTlfAsync(bearer));
    }

    [Fact]
    public async Task Cancelling_the_event_refunds_every_reservation()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5));
        var (_, alice, _) = await s.CustomerWithMoneyAsync(2000);
        var (_, bob, _) = await s.CustomerWithMoneyAsync(2000);
        foreach (var b in new[] { alice, bob })
        {
            var rid = EventScenario.Id((await s.ReserveAsync(id, b)).Data()["reserve"]!);
            (await s.ConfirmAsync(id, rid, b)).Data();
        }

        var heldOnly = EventScenario.Id((await s.ReserveAsync(id, alice)).Data()["reserve"]!);
        var cancelled = (await s.ActAsync("cancelEvent", id)).Data()["cancelEvent"]!;

        Assert.Equal("CANCELLED", cancelled["state"]!.GetValue<string>());
        Assert.Equal(0, cancelled["taken"]!.GetValue<int>());
        Assert.Equal(2000, await s.WalletTlfAsync(alice));
        Assert.Equal(2000, await s.WalletTlfAsync(bob));
        Assert.Equal(0L, await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE event_id = $1::uuid AND state IN (0, 1)", id));
        Assert.Equal("CONFLICT", (await s.ConfirmAsync(id, heldOnly, alice)).ErrorCode());
        Assert.Equal("SALES_CLOSED", (await s.ReserveAsync(id, alice)).ErrorCode());
    }

    [Fact]
    public async Task A_cashier_confirms_a_reservation_at_the_counter_with_the_card()
    {
        var s = await EventScenario.CreateAsync(silo);
        var other = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5));
        var (_, bearer, card) = await s.CustomerWithMoneyAsync(2500);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        var cashier = await silo.StaffAsync(s.Venue, "CASHIER");
        const string counter = "mutation($i: CounterConfirmInput!) { confirmReservationAtCounter(input: $i) { state tickets { code } } }";

        Assert.Equal("FORBIDDEN", (await silo.PostAsync(counter, new { i = new { eventId = id, reservationId = rid, cashierUid = s.Net.Cashier, cardUid = card } },
            await silo.StaffAsync(other.Venue, "CASHIER"))).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(counter, new { i = new { eventId = id, reservationId = rid, cashierUid = other.Net.Cashier, cardUid = card } },
            cashier)).ErrorCode());
        var confirmed = (await silo.PostAsync(counter, new { i = new { eventId = id, reservationId = rid, cashierUid = s.Net.Cashier, cardUid = card } }, cashier))
            .Data()["confirmReservationAtCounter"]!;

        Assert.Equal("CONFIRMED", confirmed["state"]!.GetValue<string>());
        Assert.Equal(1500, await s.WalletTlfAsync(bearer));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"reservation=([0-9a-f-]{36})&token=([0-9a-f]{64})")]
    private static partial Regex LinkPattern();
}

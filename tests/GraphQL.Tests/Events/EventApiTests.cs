using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

[Collection(SiloCollection.Name)]
public sealed class EventApiTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_venue_admin_creates_edits_and_publishes_an_event()
    {
        var s = await EventScenario.CreateAsync(silo);
        var start = new DateTimeOffset(2030, 6, 21, 18, 30, 0, TimeSpan.Zero);
        var prices = new object[]
        {
            new { id = "full", name = "Plein", kind = "FIXED", amount = 1500L, stock = 50, perCustomerLimit = 4 },
            new { id = "free", name = "Invité", kind = "FREE", amount = 0L },
            new { id = "pwyw", name = "Libre", kind = "PAY_WHAT_YOU_WANT", amount = 300L },
        };

        var created = (await s.CreateAsync(s.Input(capacity: 80, prices: prices, startsAt: start, tags: ["Jazz", "live"]))).Data()["createEvent"]!;
        var id = EventScenario.Id(created);
        var updated = (await silo.PostAsync($"mutation($i: UpdateEventInput!) {{ updateEvent(input: $i) {{ {EventScenario.EventFields} }} }}",
            new { i = new { eventId = id, title = "Concert d'été", startsAt = start, endsAt = start.AddHours(3), timeZone = "Europe/Paris", capacity = 90, prices } },
            s.VenueAdmin)).Data()["updateEvent"]!;
        var published = (await s.ActAsync("publishEvent", id)).Data()["publishEvent"]!;

        Assert.Equal("DRAFT", created["state"]!.GetValue<string>());
        Assert.Equal(new[] { "jazz", "live" }, created["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Concert d'été", updated["title"]!.GetValue<string>());
        Assert.Equal(90, updated["capacity"]!.GetValue<int>());
        Assert.Equal("PUBLISHED", published["state"]!.GetValue<string>());
        Assert.Equal(start, published["startsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TimeSpan.FromHours(2), published["localStartsAt"]!.GetValue<DateTimeOffset>().Offset);
        Assert.Equal(new[] { "FIXED", "FREE", "PAY_WHAT_YOU_WANT" }, published["prices"]!.AsArray().Select(p => p!["kind"]!.GetValue<string>()));
        Assert.Equal(50, published["prices"]![0]!["remaining"]!.GetValue<int>());
        Assert.Equal(1L, await silo.ScalarAsync("SELECT count(*) FROM events WHERE event_id = $1::uuid AND state = 1 AND title = 'Concert d''été'", id));
    }

    [Fact]
    public async Task Staff_rights_stop_at_their_venue_and_role()
    {
        var s = await EventScenario.CreateAsync(silo);
        var other = await EventScenario.CreateAsync(silo);
        var cashier = await silo.StaffAsync(s.Venue, "CASHIER");
        var (_, customer) = silo.NewCustomer();
        var id = EventScenario.Id((await s.CreateAsync(s.Input())).Data()["createEvent"]!);

        Assert.Equal("FORBIDDEN", (await s.CreateAsync(s.Input(), other.VenueAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.CreateAsync(s.Input(), cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.CreateAsync(s.Input(), customer)).ErrorCode());
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", new { i = s.Input() })).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.ActAsync("publishEvent", id, other.VenueAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.ActAsync("publishEvent", id, cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.ActAsync("cancelEvent", id, other.VenueAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.ActAsync("archiveEvent", id, cashier)).ErrorCode());
        var state = (await silo.PostAsync("query($id: ID!) { event(id: $id) { state } }", new { id }, s.VenueAdmin)).Data()["event"]!["state"]!.GetValue<string>();
        Assert.Equal("DRAFT", state);
    }

    [Fact]
    public async Task Malformed_definitions_are_refused()
    {
        var s = await EventScenario.CreateAsync(silo);

        Assert.Equal("BAD_USER_INPUT", (await s.CreateAsync(s.Input(capacity: -1))).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await s.CreateAsync(s.Input(prices: [new { id = "x", name = "Free", kind = "FREE", amount = 5L }]))).ErrorCode());
        var badZone = (await silo.PostAsync("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
            new { i = new { venueId = s.Venue, title = "T", startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow, timeZone = "Mars/Olympus", capacity = 1,
                prices = new[] { new { id = "a", name = "A", kind = "FIXED", amount = 100L } } } }, s.VenueAdmin));
        Assert.Equal("BAD_USER_INPUT", badZone.ErrorCode());
    }

    [Fact]
    public async Task A_draft_is_seen_only_by_its_venue()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = EventScenario.Id((await s.CreateAsync(s.Input())).Data()["createEvent"]!);

        var anonymous = (await silo.PostAsync("query($id: ID!) { event(id: $id) { id } }", new { id })).Data();
        var staff = (await silo.PostAsync("query($id: ID!) { event(id: $id) { id } }", new { id }, s.VenueAdmin)).Data();

        Assert.Null(anonymous["event"]);
        Assert.Equal(id, staff["event"]!["id"]!.GetValue<string>());
    }
}

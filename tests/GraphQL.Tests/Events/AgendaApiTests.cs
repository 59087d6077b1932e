using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

[Collection(SiloCollection.Name)]
public sealed class AgendaApiTests(TestFieldsSiloFixture silo)
{
    private const string Agenda =
        "query($f: AgendaFilterInput, $n: Int, $a: String) { agenda(filter: $f, first: $n, after: $a) { items { id title tags venueId } hasNextPage endCursor } }";

    private async Task<string[]> TitlesAsync(object filter, int first = 20)
    {
        var page = (await silo.PostAsync(Agenda, new { f = filter, n = first })).Data()["agenda"]!;
        return [.. page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>())];
    }

    [Fact]
    public async Task The_agenda_lists_published_public_events_filtered_and_paged()
    {
        var s = await EventScenario.CreateAsync(silo);
        var t0 = new DateTimeOffset(2031, 3, 1, 19, 0, 0, TimeSpan.Zero);
        await s.PublishedAsync(s.Input(title: "Jazz au jardin", tags: ["jazz", "live"], startsAt: t0, description: "Quartet under the trees"));
        await s.PublishedAsync(s.Input(title: "Rock night", tags: ["rock", "live"], startsAt: t0.AddDays(1)));
        await s.PublishedAsync(s.Input(title: "Poetry", tags: ["words"], startsAt: t0.AddDays(2)));
        await s.PublishedAsync(s.Input(title: "Members only", tags: ["jazz"], startsAt: t0.AddDays(3), isPrivate: true));
        (await s.CreateAsync(s.Input(title: "Still a draft", tags: ["jazz"], startsAt: t0.AddDays(4)))).Data();
        var cancelled = await s.PublishedAsync(s.Input(title: "Called off", tags: ["jazz"], startsAt: t0.AddDays(5)));
        (await s.ActAsync("cancelEvent", cancelled)).Data();
        var venue = s.Venue;

        Assert.Equal(new[] { "Jazz au jardin", "Rock night", "Poetry" }, await TitlesAsync(new { venueId = venue }));
        Assert.Equal(new[] { "Jazz au jardin", "Rock night" }, await TitlesAsync(new { venueId = venue, anyTags = new[] { "live" } }));
        Assert.Equal(new[] { "Jazz au jardin" }, await TitlesAsync(new { venueId = venue, allTags = new[] { "live", "jazz" } }));
        Assert.Equal(new[] { "Jazz au jardin", "Poetry" }, await TitlesAsync(new { venueId = venue, anyTags = new[] { "JAZZ", "words" } }));
        Assert.Equal(new[] { "Jazz au jardin" }, await TitlesAsync(new { venueId = venue, text = "quartet" }));
        Assert.Equal(new[] { "Rock night" }, await TitlesAsync(new { venueId = venue, from = t0.AddHours(1), to = t0.AddDays(2) }));

        var first = (await silo.PostAsync(Agenda, new { f = new { venueId = venue }, n = 2 })).Data()["agenda"]!;
        var next = (await silo.PostAsync(Agenda, new { f = new { venueId = venue }, n = 2, a = first["endCursor"]!.GetValue<string>() })).Data()["agenda"]!;
        Assert.True(first["hasNextPage"]!.GetValue<bool>());
        Assert.Equal("Poetry", Assert.Single(next["items"]!.AsArray())!["title"]!.GetValue<string>());
        Assert.False(next["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_pages_and_cursors_are_refused()
    {
        Assert.Equal("BAD_USER_INPUT", (await silo.PostAsync(Agenda, new { n = 0 })).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await silo.PostAsync(Agenda, new { n = 101 })).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await silo.PostAsync(Agenda, new { a = "nope" })).ErrorCode());
    }

    [Fact]
    public async Task The_agenda_query_uses_its_indexes()
    {
        // The plan for a page by start, by tag and by text: an index scan, never a sequential scan of the events table.
        await silo.ScalarAsync("SELECT count(*) FROM events");
        var plans = new[]
        {
            "EXPLAIN SELECT event_id FROM events WHERE state = 1 AND NOT private AND starts_at >= now() ORDER BY starts_at, event_id LIMIT 21",
            "EXPLAIN SELECT event_id FROM events WHERE state = 1 AND NOT private AND tags && ARRAY['jazz'] ORDER BY starts_at, event_id LIMIT 21",
            "EXPLAIN SELECT event_id FROM events WHERE state = 1 AND NOT private AND search @@ websearch_to_tsquery('simple', 'jazz') ORDER BY starts_at, event_id LIMIT 21",
        };
        foreach (var sql in plans)
        {
            var plan = await silo.ScalarTextAsync("SET enable_seqscan = off; " + sql);
            Assert.DoesNotContain("Seq Scan", plan);
        }
    }
}

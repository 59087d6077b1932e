using System.Net;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

[Collection(SiloCollection.Name)]
public sealed class TicketImageAndFeedTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_genuine_ticket_has_svg_and_png_qr_images_and_a_forged_one_has_none()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 2));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(1000);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        var code = (await s.ConfirmAsync(id, rid, bearer)).Data()["confirmReservation"]!["tickets"]![0]!["code"]!.GetValue<string>();
        var ct = TestContext.Current.CancellationToken;

        using var svg = await silo.Http.GetAsync(new Uri(silo.BaseAddress, $"/tickets/{code}.svg"), ct);
        using var png = await silo.Http.GetAsync(new Uri(silo.BaseAddress, $"/tickets/{code}.png"), ct);
        using var forged = await silo.Http.GetAsync(new Uri(silo.BaseAddress, $"/tickets/{code[..^3]}AAA.svg"), ct);

        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(ct));
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await png.Content.ReadAsByteArrayAsync(ct))[..4]);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
    }

    [Fact]
    public async Task The_agenda_is_an_icalendar_feed_for_all_and_per_venue()
    {
        var s = await EventScenario.CreateAsync(silo);
        var title = "Feed " + Guid.NewGuid().ToString("N")[..8];
        await s.PublishedAsync(s.Input(title: title, startsAt: DateTimeOffset.UtcNow.AddDays(3)));
        await s.PublishedAsync(s.Input(title: title + " private", startsAt: DateTimeOffset.UtcNow.AddDays(3), isPrivate: true));
        var ct = TestContext.Current.CancellationToken;

        using var venue = await silo.Http.GetAsync(new Uri(silo.BaseAddress, $"/venues/{s.Venue}/agenda.ics"), ct);
        var text = await venue.Content.ReadAsStringAsync(ct);
        using var all = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/agenda.ics"), ct);

        Assert.Equal("text/calendar", venue.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("BEGIN:VCALENDAR", text);
        Assert.Contains("SUMMARY:" + title + "\r\n", text);
        Assert.DoesNotContain(title + " private", text);
        Assert.Single(text.Split("BEGIN:VEVENT").Skip(1));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Contains("BEGIN:VCALENDAR", await all.Content.ReadAsStringAsync(ct));
    }
}

using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;

namespace TiBillet.GraphQL.Events;

/// <summary>
/// The agenda as iCalendar feeds a calendar app subscribes to: <c>GET /agenda.ics</c> (every venue) and
/// <c>GET /venues/{id}/agenda.ics</c>. Published public events from a day ago on, at most 500, from the same SQL as the
/// <c>agenda</c> query.
/// </summary>
public static class CalendarEndpoints
{
    private const int MaxEvents = 500;

    public static WebApplication MapAgendaFeeds(this WebApplication app)
    {
        app.MapGet("/agenda.ics", (AgendaQueries agenda, HttpContext http) => FeedAsync(agenda, null, http));
        app.MapGet("/venues/{id}/agenda.ics", (string id, AgendaQueries agenda, HttpContext http) =>
        {
            VenueId venue;
            try
            {
                venue = VenueId.Parse(id);
            }
            catch (DomainException)
            {
                return Task.FromResult(Results.NotFound());
            }

            return FeedAsync(agenda, venue, http);
        });
        return app;
    }

    private static async Task<IResult> FeedAsync(AgendaQueries agenda, VenueId? venue, HttpContext http)
    {
        var items = await agenda.FeedAsync(venue, DateTimeOffset.UtcNow.AddDays(-1), MaxEvents, http.RequestAborted);
        var calendar = new Calendar { ProductId = "-//TiBillet//Agenda//EN" };
        calendar.AddProperty("X-WR-CALNAME", venue is { } v ? $"TiBillet · {v.Value}" : "TiBillet");
        foreach (var e in items)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Id + "@tibillet",
                Summary = e.Title,
                Description = e.Description,
                Location = e.Venue.Value,
                DtStart = new CalDateTime(e.StartsAt.UtcDateTime),
                DtEnd = new CalDateTime(e.EndsAt.UtcDateTime),
                DtStamp = new CalDateTime(e.UpdatedAt.UtcDateTime),
                Categories = [.. e.Tags],
            });
        }

        return Results.Text(new CalendarSerializer().SerializeToString(calendar) ?? "", "text/calendar; charset=utf-8");
    }
}

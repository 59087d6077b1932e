using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Events;

/// <summary>One event as the agenda lists it.</summary>
public sealed record AgendaItem(
    EventId Id,
    VenueId Venue,
    EventState State,
    string Title,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    ImmutableArray<string> Tags,
    string? ImageUrl,
    bool Private,
    DateTimeOffset UpdatedAt);

/// <summary>
/// What the agenda is filtered by. Starts within [<see cref="From"/>, <see cref="To"/>); <see cref="AnyTags"/>: at least one
/// of them; <see cref="AllTags"/>: every one; <see cref="Text"/>: words of the title or description (web search syntax).
/// </summary>
public sealed record AgendaFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    VenueId? Venue = null,
    ImmutableArray<string> AnyTags = default,
    ImmutableArray<string> AllTags = default,
    string? Text = null);

/// <summary>A page of the agenda and the cursor of the next one.</summary>
public sealed record AgendaPage(ImmutableArray<AgendaItem> Items, bool HasNextPage, string? EndCursor);

/// <summary>
/// The agenda, answered by SQL over the events table and its indexes (never by asking event grains): published public
/// events by start time, paged by a (start, id) cursor so a page costs the same wherever it is.
/// </summary>
public sealed class AgendaQueries(NpgsqlDataSource dataSource)
{
    public const int MaxPage = 100;

    private const string Columns = "event_id, venue_id, state, title, description, starts_at, ends_at, time_zone, tags, image_url, private, updated_at";

    /// <summary>One page of published public events. BAD_USER_INPUT for a malformed cursor or text, or a page size out of 1..100.</summary>
    public async Task<AgendaPage> PageAsync(AgendaFilter filter, int first, string? after, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = Build("state = 1 AND NOT private", filter, after, first);
        return await RunPageAsync(sql, parameters, first, cancellationToken);
    }

    /// <summary>A venue's own events in every state (for its staff), same paging.</summary>
    public async Task<AgendaPage> VenuePageAsync(VenueId venue, int first, string? after, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = Build("TRUE", new AgendaFilter(Venue: venue), after, first);
        return await RunPageAsync(sql, parameters, first, cancellationToken);
    }

    /// <summary>Every published public event starting within the window, for calendar feeds (at most <paramref name="limit"/>).</summary>
    public async Task<ImmutableArray<AgendaItem>> FeedAsync(VenueId? venue, DateTimeOffset from, int limit, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = Build("state = 1 AND NOT private", new AgendaFilter(From: from, Venue: venue), null, limit, limit);
        return (await RunPageAsync(sql, parameters, limit, cancellationToken)).Items;
    }

    /// <summary>The published events of a venue under way now (or starting within <paramref name="early"/>), soonest first.</summary>
    public async Task<ImmutableArray<EventId>> RunningAtAsync(VenueId venue, DateTimeOffset now, TimeSpan early, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT event_id FROM events WHERE venue_id = $1 AND state = 1 AND starts_at <= $2 AND ends_at >= $3 ORDER BY starts_at LIMIT 10");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = (now + early).UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        var ids = ImmutableArray.CreateBuilder<EventId>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            ids.Add(new EventId(r.GetGuid(0)));
        }

        return ids.ToImmutable();
    }

    private static (string Sql, List<NpgsqlParameter> Parameters) Build(string baseCondition, AgendaFilter filter, string? after, int first, int max = MaxPage)
    {
        if (first < 1 || first > max)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A page has 1 to {max} events.");
        }

        var where = new StringBuilder(baseCondition);
        var parameters = new List<NpgsqlParameter>();
        string Next(NpgsqlParameter p)
        {
            parameters.Add(p);
            return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (filter.From is { } from)
        {
            where.Append(" AND starts_at >= ").Append(Next(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime }));
        }

        if (filter.To is { } to)
        {
            where.Append(" AND starts_at < ").Append(Next(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime }));
        }

        if (filter.Venue is { } venue)
        {
            where.Append(" AND venue_id = ").Append(Next(new NpgsqlParameter<string> { TypedValue = venue.Value }));
        }

        if (!filter.AnyTags.IsDefaultOrEmpty)
        {
            where.Append(" AND tags && ").Append(Next(new NpgsqlParameter<string[]> { TypedValue = [.. filter.AnyTags.Select(Tag)] }));
        }

        if (!filter.AllTags.IsDefaultOrEmpty)
        {
            where.Append(" AND tags @> ").Append(Next(new NpgsqlParameter<string[]> { TypedValue = [.. filter.AllTags.Select(Tag)] }));
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            if (filter.Text.Length > 200)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A search has at most 200 characters.");
            }

            where.Append(" AND search @@ websearch_to_tsquery('simple', ").Append(Next(new NpgsqlParameter<string> { TypedValue = filter.Text })).Append(')');
        }

        if (after is not null)
        {
            var (start, id) = ParseCursor(after);
            where.Append(" AND (starts_at, event_id) > (").Append(Next(new NpgsqlParameter<DateTime> { TypedValue = start.UtcDateTime }))
                .Append(", ").Append(Next(new NpgsqlParameter<Guid> { TypedValue = id })).Append(')');
        }

        var limit = Next(new NpgsqlParameter<int> { TypedValue = first + 1 });
        return ($"SELECT {Columns} FROM events WHERE {where} ORDER BY starts_at, event_id LIMIT {limit}", parameters);
    }

    private async Task<AgendaPage> RunPageAsync(string sql, List<NpgsqlParameter> parameters, int first, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(p);
        }

        var items = ImmutableArray.CreateBuilder<AgendaItem>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                items.Add(new AgendaItem(new EventId(r.GetGuid(0)), new VenueId(r.GetString(1)), (EventState)r.GetInt16(2), r.GetString(3), r.GetString(4),
                    r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), [.. r.GetFieldValue<string[]>(8)],
                    r.IsDBNull(9) ? null : r.GetString(9), r.GetBoolean(10), r.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        var more = items.Count > first;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        var last = items.Count > 0 ? items[^1] : null;
        return new AgendaPage(items.ToImmutable(), more, last is null ? null : FormatCursor(last.StartsAt, last.Id.Value));
    }

    private static string Tag(string tag) => tag.Trim().ToLowerInvariant();

    private static string FormatCursor(DateTimeOffset start, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(start.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + id.ToString("N")));

    private static (DateTimeOffset Start, Guid Id) ParseCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 and <= 3155378975999999999 && Guid.TryParseExact(parts[1], "N", out var id))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            }
        }
        catch (FormatException)
        {
        }

        throw new DomainException(ErrorCodes.BadUserInput, "Not an agenda cursor.");
    }
}

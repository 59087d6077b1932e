using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Closures;

/// <summary>SQL for till settings, cashier sessions and closures.</summary>
public sealed class TillDayStore(NpgsqlDataSource dataSource)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string SessionColumns = "session_id, venue_id, point_of_sale_id, user_id, opening_float, opened_at, counted_cash, expected_cash, closed_at";

    public async Task<TillSettings> SettingsAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT time_zone, day_turn, auto_close FROM till_settings WHERE venue_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TillSettings(reader.GetString(0), TimeOnly.FromTimeSpan(reader.GetFieldValue<TimeSpan>(1)), reader.GetBoolean(2))
            : TillSettings.Default;
    }

    public async Task SaveSettingsAsync(VenueId venue, TillSettings settings, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO till_settings (venue_id, time_zone, day_turn, auto_close) VALUES ($1, $2, $3, $4)
            ON CONFLICT (venue_id) DO UPDATE SET time_zone = excluded.time_zone, day_turn = excluded.day_turn, auto_close = excluded.auto_close
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = settings.TimeZone });
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settings.DayTurn.ToTimeSpan(), NpgsqlDbType = NpgsqlDbType.Time });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = settings.AutoClose });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Opens a session; null when the user already has one open at this venue (the unique index decides).</summary>
    public async Task<CashierSession?> OpenSessionAsync(VenueId venue, string pointOfSale, Guid user, long openingFloat, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"INSERT INTO till_sessions (session_id, venue_id, point_of_sale_id, user_id, opening_float) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING {SessionColumns}");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pointOfSale });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = openingFloat });
        return (await ReadSessionsAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The user's open session at the venue, or null.</summary>
    public async Task<CashierSession?> OpenSessionOfAsync(VenueId venue, Guid user, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {SessionColumns} FROM till_sessions WHERE venue_id = $1 AND user_id = $2 AND closed_at IS NULL");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        return (await ReadSessionsAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Closes the user's open session with the cash counted; the cash expected is the float plus the session's cash lines.
    /// Null when the user has no open session.
    /// </summary>
    public async Task<CashierSession?> CloseSessionAsync(VenueId venue, Guid user, long counted, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            UPDATE till_sessions s SET counted_cash = $3, closed_at = now(),
                expected_cash = s.opening_float + coalesce((SELECT sum(amount) FROM sale_lines l WHERE l.session_id = s.session_id AND l.venue_id = s.venue_id AND l.means = 1), 0)
            WHERE s.venue_id = $1 AND s.user_id = $2 AND s.closed_at IS NULL
            RETURNING {SessionColumns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = counted });
        return (await ReadSessionsAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The venue's latest closure, or null.</summary>
    public async Task<TillClosure?> LastClosureAsync(VenueId venue, CancellationToken cancellationToken = default) =>
        (await ClosuresAsync(venue, 1, null, cancellationToken)).FirstOrDefault();

    /// <summary>The venue's closures, newest first; one when <paramref name="id"/> is given.</summary>
    public async Task<ImmutableArray<TillClosure>> ClosuresAsync(VenueId venue, int limit, Guid? id = null, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT closure_id, number, business_day, period_start, period_end, closed_by, automatic, report FROM till_closures
            WHERE venue_id = $1 AND ($3::uuid IS NULL OR closure_id = $3) ORDER BY number DESC LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<TillClosure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TillClosure(reader.GetGuid(0), venue, reader.GetInt32(1), reader.GetFieldValue<DateOnly>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetBoolean(6),
                JsonSerializer.Deserialize<TillReport>(reader.GetString(7), Json)!));
        }

        return list.ToImmutable();
    }

    /// <summary>Stores a closure; false when its number is already taken (another closure won: nothing written).</summary>
    public async Task<bool> AddClosureAsync(TillClosure closure, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO till_closures (closure_id, venue_id, number, business_day, period_start, period_end, closed_by, automatic, report)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (venue_id, number) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = closure.Id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = closure.Venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = closure.Number });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = closure.BusinessDay });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = closure.PeriodStart.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = closure.PeriodEnd.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = closure.ClosedBy });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = closure.Automatic });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(closure.Report, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<List<CashierSession>> ReadSessionsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<CashierSession>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CashierSession(reader.GetGuid(0), new VenueId(reader.GetString(1)), reader.GetString(2), reader.GetGuid(3), reader.GetInt64(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return list;
    }
}

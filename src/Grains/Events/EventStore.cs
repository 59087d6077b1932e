using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

/// <summary>An event row as stored.</summary>
public sealed record StoredEvent(VenueId Venue, EventState State, EventDefinition Definition);

/// <summary>SQL for events: their rows (written only by their grain) and the grain's reload at activation.</summary>
public sealed class EventStore(NpgsqlDataSource dataSource)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the event's row (insert or replace).</summary>
    public async Task SaveAsync(EventId id, VenueId venue, EventState state, EventDefinition d, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO events (event_id, venue_id, state, title, description, starts_at, ends_at, time_zone, tags, image_url, capacity, private,
                                nominative, hold_seconds, prices)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (event_id) DO UPDATE SET state = $3, title = $4, description = $5, starts_at = $6, ends_at = $7, time_zone = $8, tags = $9,
                image_url = $10, capacity = $11, private = $12, nominative = $13, hold_seconds = $14, prices = $15, updated_at = now()
            WHERE events.venue_id = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)state });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Title });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Description });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = d.StartsAt.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = d.EndsAt.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.TimeZone });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. d.Tags] });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)d.ImageUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = d.Capacity });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = d.Private });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = d.Nominative });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)d.HoldSeconds ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(d.Prices, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new DomainException(ErrorCodes.Conflict, "This event id belongs to another venue.");
        }
    }

    /// <summary>The event's row, or null.</summary>
    public async Task<StoredEvent?> LoadAsync(EventId id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT venue_id, state, title, description, starts_at, ends_at, time_zone, tags, image_url, capacity, private, nominative, hold_seconds, prices::text
            FROM events WHERE event_id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }

        var definition = new EventDefinition(r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5),
            r.GetString(6), [.. r.GetFieldValue<string[]>(7)], r.IsDBNull(8) ? null : r.GetString(8), r.GetInt32(9), r.GetBoolean(10), r.GetBoolean(11),
            JsonSerializer.Deserialize<ImmutableArray<EventPrice>>(r.GetString(13), Json), r.IsDBNull(12) ? null : r.GetInt32(12));
        return new StoredEvent(new VenueId(r.GetString(0)), (EventState)r.GetInt16(1), definition);
    }

    /// <summary>The event's held and confirmed reservations, with their tickets: what its grain counts at activation.</summary>
    public async Task<List<StoredReservation>> LoadLiveReservationsAsync(EventId id, CancellationToken cancellationToken = default)
    {
        var list = new Dictionary<Guid, StoredReservation>();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            SELECT reservation_id, customer, idempotency_key, request_hash, state, seats::text, total, held_until, payer_wallet, payment::text, confirm_token_hash,
                   checkout_session
            FROM reservations WHERE event_id = $1 AND state IN (0, 1)
            """) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = id.Value } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            SELECT t.reservation_id, t.ticket_id, t.price_id, t.holder_name, t.code, t.state, t.checked_in_at
            FROM tickets t JOIN reservations r USING (reservation_id) WHERE t.event_id = $1 AND r.state = 1 ORDER BY t.ticket_id
            """) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = id.Value } } });
        await using var r = await batch.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var row = ReadReservation(r);
            list[row.Id] = row;
        }

        await r.NextResultAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            if (list.TryGetValue(r.GetGuid(0), out var owner))
            {
                owner.Tickets.Add(new TicketSummary(r.GetGuid(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetInt16(5) == 1,
                    r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return [.. list.Values];
    }

    /// <summary>
    /// Checks a valid ticket in, once: the first call stamps it; later calls, and calls for a cancelled ticket, return the
    /// row as it is (<c>Fresh</c> false). Null when the event has no such ticket.
    /// </summary>
    public async Task<(bool Fresh, bool Cancelled, string? Holder, DateTimeOffset? At, string? By, string? Where)?> CheckInAsync(
        EventId id, Guid ticket, string by, string where, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH stamped AS (
                UPDATE tickets SET checked_in_at = now(), checked_in_by = $3, checked_in_where = $4
                WHERE ticket_id = $2 AND event_id = $1 AND state = 0 AND checked_in_at IS NULL
                RETURNING true, state, holder_name, checked_in_at, checked_in_by, checked_in_where)
            SELECT * FROM stamped
            UNION ALL
            SELECT false, state, holder_name, checked_in_at, checked_in_by, checked_in_where FROM tickets
            WHERE ticket_id = $2 AND event_id = $1 AND NOT EXISTS (SELECT 1 FROM stamped)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = ticket });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = by });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = where });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (r.GetBoolean(0), r.GetInt16(1) == 1, r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5));
    }

    /// <summary>
    /// Of the published events of <paramref name="venue"/> other than <paramref name="except"/>, the one nearest to
    /// <paramref name="now"/> for which <paramref name="customer"/> holds a confirmed reservation (a door's "wrong day"), or null.
    /// </summary>
    public async Task<(EventId Id, string Title, DateTimeOffset StartsAt)?> FindHolderEventAsync(
        VenueId venue, EmailAddress customer, IReadOnlyCollection<EventId> except, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT e.event_id, e.title, e.starts_at FROM reservations r JOIN events e ON e.event_id = r.event_id
            WHERE r.customer = $2 AND r.state = 1 AND e.venue_id = $1 AND e.state = 1 AND NOT (e.event_id = ANY($3))
            ORDER BY abs(extract(epoch FROM e.starts_at - $4)) LIMIT 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customer.Value });
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. except.Select(e => e.Value)] });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (new EventId(r.GetGuid(0)), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)) : null;
    }

    /// <summary>The event a reservation belongs to, or null.</summary>
    public async Task<EventId?> FindEventOfReservationAsync(Guid reservation, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT event_id FROM reservations WHERE reservation_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = reservation });
        return await cmd.ExecuteScalarAsync(cancellationToken) is Guid id ? new EventId(id) : null;
    }

    /// <summary>A reservation of the event by id (any state), or null.</summary>
    public async Task<StoredReservation?> FindReservationAsync(EventId id, Guid reservation, CancellationToken cancellationToken = default) =>
        await FindOneAsync("event_id = $1 AND reservation_id = $2", cancellationToken, id.Value, reservation);

    /// <summary>A customer's reservation made under <paramref name="key"/>, or null.</summary>
    public async Task<StoredReservation?> FindByKeyAsync(EmailAddress customer, IdempotencyKey key, CancellationToken cancellationToken = default) =>
        await FindOneAsync("customer = $1 AND idempotency_key = $2", cancellationToken, customer.Value, key.Value);

    private async Task<StoredReservation?> FindOneAsync(string where, CancellationToken cancellationToken, params object[] args)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT reservation_id, customer, idempotency_key, request_hash, state, seats::text, total, held_until, payer_wallet, payment::text, confirm_token_hash, " +
            "checkout_session " +
            "FROM reservations WHERE " + where);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? ReadReservation(r) : null;
    }

    private static StoredReservation ReadReservation(NpgsqlDataReader r) => new(
        r.GetGuid(0), new EmailAddress(r.GetString(1)), new IdempotencyKey(r.GetString(2)), r.GetFieldValue<byte[]>(3), (ReservationState)r.GetInt16(4),
        JsonSerializer.Deserialize<ImmutableArray<ReservedSeat>>(r.GetString(5), Json), r.GetInt64(6), r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : new WalletId(r.GetGuid(8)),
        r.IsDBNull(9) ? [] : JsonSerializer.Deserialize<ImmutableArray<PaidMovement>>(r.GetString(9), Json),
        r.IsDBNull(10) ? null : r.GetFieldValue<byte[]>(10), [], r.IsDBNull(11) ? null : r.GetString(11));
}

/// <summary>One movement a reservation's payment made, kept to reverse it exactly on a refund.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Events.PaidMovement")]
public sealed record PaidMovement([property: Id(0)] Guid Asset, [property: Id(1)] long Amount, [property: Id(2)] Guid From, [property: Id(3)] Guid To);

/// <summary>A reservation row as the event grain reloads it. <see cref="CheckoutSession"/>: the Stripe session that paid it.</summary>
public sealed record StoredReservation(
    Guid Id,
    EmailAddress Customer,
    IdempotencyKey Key,
    byte[] RequestHash,
    ReservationState State,
    ImmutableArray<ReservedSeat> Seats,
    long Total,
    DateTimeOffset HeldUntil,
    WalletId? PayerWallet,
    ImmutableArray<PaidMovement> Payment,
    byte[]? TokenHash,
    List<TicketSummary> Tickets,
    string? CheckoutSession = null);

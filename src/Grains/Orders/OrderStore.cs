using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Orders;

/// <summary>
/// SQL for tables and orders. An order is written only by its grain, whole, guarded by a version so a stale activation's
/// write fails; the table plan and the preparation feeds read the columns and documents.
/// </summary>
public sealed class OrderStore(NpgsqlDataSource dataSource)
{
    // Property names as in C#, enums as numbers: the feeds' SQL reads the documents with those names.
    private static readonly JsonSerializerOptions Json = new();

    /// <summary>The order and its version, or null when it was never opened.</summary>
    public async Task<(Order Order, int Version)?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT doc::text, version FROM orders WHERE order_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (JsonSerializer.Deserialize<Order>(reader.GetString(0), Json)!, reader.GetInt32(1))
            : null;
    }

    /// <summary>
    /// Writes the order if its stored version is still <paramref name="version"/> (0: not stored yet) and returns the new
    /// version. CONFLICT when another writer got there first (the caller reloads).
    /// </summary>
    public async Task<int> SaveAsync(Order order, int version, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(version == 0
            ? """
              INSERT INTO orders (order_id, venue_id, point_of_sale_id, table_id, ticket_number, status, total, remaining, opened_at, closed_at, version, doc)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 + 1, $12::jsonb) ON CONFLICT (order_id) DO NOTHING
              """
            : """
              UPDATE orders SET table_id = $4, ticket_number = $5, status = $6, total = $7, remaining = $8, closed_at = $10,
                     version = $11 + 1, doc = $12::jsonb
              WHERE order_id = $1 AND version = $11
              """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = order.Id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = order.Venue });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = order.PointOfSale });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Table ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Ticket ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)order.Status });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = order.Total });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = order.Remaining });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = order.OpenedAt });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)order.ClosedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(order, Json) });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new DomainException(ErrorCodes.Conflict, "The order changed meanwhile; retry.");
        }

        return version + 1;
    }

    /// <summary>The next takeaway ticket number of the venue (1, 2, …).</summary>
    public async Task<int> NextTicketAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO order_ticket_counters AS c (venue_id, last) VALUES ($1, 1)
            ON CONFLICT (venue_id) DO UPDATE SET last = c.last + 1 RETURNING last
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Creates or renames a fixed table of the plan (unarchiving it).</summary>
    public async Task SaveTableAsync(VenueId venue, string table, string name, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO order_tables (venue_id, table_id, name, fixed) VALUES ($1, $2, $3, true)
            ON CONFLICT (venue_id, table_id) DO UPDATE SET name = excluded.name, fixed = true, archived = false
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Archives a table. NOT_FOUND for a table the venue never had; CONFLICT while an order is open at it.</summary>
    public async Task ArchiveTableAsync(VenueId venue, string table, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH t AS (SELECT 1 FROM order_tables WHERE venue_id = $1 AND table_id = $2),
                 busy AS (SELECT 1 FROM orders WHERE venue_id = $1 AND table_id = $2 AND closed_at IS NULL),
                 done AS (UPDATE order_tables SET archived = true WHERE venue_id = $1 AND table_id = $2 AND NOT EXISTS (SELECT 1 FROM busy) RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM t), EXISTS (SELECT 1 FROM busy)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            throw new DomainException(ErrorCodes.NotFound, "No such table at this venue.");
        }

        if (reader.GetBoolean(1))
        {
            throw new DomainException(ErrorCodes.Conflict, "An order is open at this table.");
        }
    }

    /// <summary>
    /// Makes sure <paramref name="table"/> can take an order: a table of the plan, or one opened now on the fly (named as its
    /// id). CONFLICT for an archived table.
    /// </summary>
    public async Task EnsureTableAsync(VenueId venue, string table, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH added AS (
                INSERT INTO order_tables (venue_id, table_id, name, fixed) VALUES ($1, $2, $2, false)
                ON CONFLICT (venue_id, table_id) DO NOTHING RETURNING archived)
            SELECT archived FROM added UNION ALL SELECT archived FROM order_tables WHERE venue_id = $1 AND table_id = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        if (await cmd.ExecuteScalarAsync(cancellationToken) is true)
        {
            throw new DomainException(ErrorCodes.Conflict, "This table is archived.");
        }
    }

    /// <summary>
    /// The venue's table plan with the open orders at each table: fixed tables not archived, and tables opened on the fly
    /// while an order is open at them. Statuses are rolled up by <see cref="OrderPlanner.TableStatusOf"/>.
    /// </summary>
    public async Task<ImmutableArray<TableDetails>> TablesAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT t.table_id, t.name, t.fixed, t.archived, o.order_id, o.status, o.total, o.remaining, o.opened_at
            FROM order_tables t
            LEFT JOIN orders o ON o.venue_id = t.venue_id AND o.table_id = t.table_id AND o.closed_at IS NULL
            WHERE t.venue_id = $1 AND (t.fixed AND NOT t.archived OR o.order_id IS NOT NULL)
            ORDER BY t.table_id, o.opened_at
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var tables = new List<(string Id, string Name, bool Fixed, bool Archived, List<OrderSummary> Orders)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (tables.Count == 0 || tables[^1].Id != id)
            {
                tables.Add((id, reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), []));
            }

            if (!reader.IsDBNull(4))
            {
                tables[^1].Orders.Add(new OrderSummary(reader.GetGuid(4), id, null, (OrderStatus)reader.GetInt16(5), reader.GetInt64(6), reader.GetInt64(7),
                    reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        return [.. tables.Select(t => new TableDetails(t.Id, t.Name, t.Fixed, t.Archived, OrderPlanner.TableStatusOf(t.Orders.Select(o => o.Status)), [.. t.Orders]))];
    }

    /// <summary>The venue's open takeaway orders, oldest first.</summary>
    public async Task<ImmutableArray<OrderSummary>> TakeawaysAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT order_id, ticket_number, status, total, remaining, opened_at FROM orders
            WHERE venue_id = $1 AND table_id IS NULL AND closed_at IS NULL ORDER BY opened_at LIMIT 500
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<OrderSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new OrderSummary(reader.GetGuid(0), null, reader.GetInt32(1), (OrderStatus)reader.GetInt16(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return list.ToImmutable();
    }

    /// <summary>What a preparation station has to do now: lines of open orders sent to it and not yet served, oldest order first.</summary>
    public async Task<ImmutableArray<StationLine>> StationLinesAsync(VenueId venue, string station, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT o.order_id, o.table_id, o.ticket_number, (l->>'Id')::uuid, l->>'Name', (l->>'Quantity')::int, (l->>'Status')::smallint
            FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.doc->'Lines') l
            WHERE o.venue_id = $1 AND o.closed_at IS NULL AND l->>'Station' = $2 AND (l->>'Status')::int IN (1, 2)
            ORDER BY o.opened_at LIMIT 1000
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = station });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<StationLine>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StationLine(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5), (OrderLineStatus)reader.GetInt16(6)));
        }

        return list.ToImmutable();
    }
}

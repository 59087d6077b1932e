using System.Collections.Immutable;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Closures;

/// <summary>
/// The SQL of X and Z reports: one pass over the period's sale lines (GROUPING SETS), and the ledger's operations and
/// movements of the venue in the same period. Sale lines and ledger rows of one operation carry the same time (the ledger
/// batch's), so an operation falls wholly inside or outside a period.
/// </summary>
public sealed class TillReportStore(NpgsqlDataSource dataSource)
{
    // First the period's lines folded to their finest grain (a plain GROUP BY, which may run in parallel workers; a
    // day holds a few thousand distinct combinations), then the report's groupings over those few rows.
    public const string LinesSql =
        """
        WITH f AS (
            SELECT kind, product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate, ledger_kind,
                   count(*) AS n, sum(quantity) AS q, sum(amount) AS a
            FROM sale_lines
            WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3
            GROUP BY kind, product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate, ledger_kind)
        SELECT GROUPING(product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate, ledger_kind),
               kind, product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate,
               sum(n)::bigint, sum(q)::bigint, sum(a)::bigint, ledger_kind
        FROM f
        GROUP BY GROUPING SETS ((kind), (kind, product_id, product_name), (kind, category_id, category_name), (kind, point_of_sale_id),
                                (kind, cashier), (kind, means, asset_id, ledger_kind), (kind, vat_rate))
        """;

    // Whether an operation is the till's: a hash join with the period's till operations (a small table, one row each).
    public const string LedgerOperationsSql =
        """
        WITH till AS (SELECT operation_id FROM till_operations WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT o.kind, o.external_means, t.operation_id IS NOT NULL, count(*), sum(o.external_amount)::bigint
        FROM ledger_operations o LEFT JOIN till t ON t.operation_id = o.operation_id
        WHERE o.venue_id = $1 AND o.created_at >= $2 AND o.created_at < $3
        GROUP BY 1, 2, 3
        """;

    public const string LedgerMovementsSql =
        """
        WITH till AS (SELECT operation_id FROM till_operations WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT t.kind, t.asset_id, s.operation_id IS NOT NULL, count(*), sum(t.amount)::bigint
        FROM ledger_transactions t LEFT JOIN till s ON s.operation_id = t.operation_id
        WHERE t.venue_id = $1 AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 1, 2, 3
        """;

    public const string CardsSql =
        "SELECT count(DISTINCT card_uid) FROM ledger_operations WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3 AND card_uid IS NOT NULL";

    public const string SessionsSql =
        """
        SELECT coalesce((SELECT sum(opening_float) FROM till_sessions WHERE venue_id = $1 AND opened_at >= $2 AND opened_at < $3), 0),
               coalesce((SELECT sum(counted_cash) FROM till_sessions WHERE venue_id = $1 AND closed_at >= $2 AND closed_at < $3), 0)
        """;

    /// <summary>The report of [<paramref name="from"/>, <paramref name="to"/>) at <paramref name="venue"/>.</summary>
    public async Task<TillReport> ComputeAsync(VenueId venue, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for every query, so the parts of a report agree with each other.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // A day's operations hashed in memory rather than spilled; the settings end with the transaction.
        await using (var settings = new NpgsqlCommand("SET LOCAL work_mem = '64MB'", conn, tx))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = await ReadLinesAsync(conn, tx, venue, from, to, cancellationToken);
        var (operations, tillOperations) = await ReadLedgerAsync(conn, tx, LedgerOperationsSql, venue, from, to, external: true, cancellationToken);
        var (movements, tillMovements) = await ReadLedgerAsync(conn, tx, LedgerMovementsSql, venue, from, to, external: false, cancellationToken);
        var cards = await ScalarsAsync(conn, tx, CardsSql, venue, from, to, cancellationToken);
        var sessions = await ScalarsAsync(conn, tx, SessionsSql, venue, from, to, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return TillReportBuilder.Build(venue, from, to, rows, [.. operations, .. movements], [.. tillOperations, .. tillMovements], cards[0], sessions[0], sessions[1]);
    }

    private static async Task<List<TillReportBuilder.LineRow>> ReadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, VenueId venue, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var cmd = Command(conn, tx, LinesSql, venue, from, to);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<TillReportBuilder.LineRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TillReportBuilder.LineRow(
                reader.GetInt32(0), (SaleLineKind)reader.GetInt16(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : (SaleLineMeans)reader.GetInt16(8), reader.IsDBNull(9) ? null : reader.GetGuid(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.IsDBNull(14) ? null : (TransactionKind)reader.GetInt16(14)));
        }

        return list;
    }

    private static async Task<(List<LedgerTotal> All, List<LedgerTotal> Till)> ReadLedgerAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string sql, VenueId venue, DateTimeOffset from, DateTimeOffset to, bool external, CancellationToken cancellationToken)
    {
        await using var cmd = Command(conn, tx, sql, venue, from, to);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var all = new List<LedgerTotal>();
        var till = new List<LedgerTotal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = (TransactionKind)reader.GetInt16(0);
            var total = external
                ? new LedgerTotal(kind, null, (PaymentMeans)reader.GetInt16(1), reader.GetInt64(3), reader.GetInt64(4))
                : new LedgerTotal(kind, reader.GetGuid(1), PaymentMeans.None, reader.GetInt64(3), reader.GetInt64(4));
            all.Add(total);
            if (reader.GetBoolean(2))
            {
                till.Add(total);
            }
        }

        return (all, till);
    }

    private static async Task<long[]> ScalarsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, VenueId venue, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var cmd = Command(conn, tx, sql, venue, from, to);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var values = new long[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetInt64(i);
        }

        return values;
    }

    private static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, VenueId venue, DateTimeOffset from, DateTimeOffset to) => new(sql, conn, tx)
    {
        CommandTimeout = 300,
        Parameters =
        {
            new NpgsqlParameter<string> { TypedValue = venue.Value },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() },
        },
    };
}

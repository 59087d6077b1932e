using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>Reads stored sale lines: those a void names, and those of one operation (what a till shows to void from).</summary>
public sealed class SaleLineStore(NpgsqlDataSource dataSource)
{
    private const string Select =
        """
        SELECT l.line_id, l.operation_id, l.point_of_sale_id, l.cashier, l.session_id, l.table_id, l.order_id, l.kind, l.product_id, l.product_name,
               l.category_id, l.category_name, l.vat_rate, l.quantity, l.unit_price, l.amount, l.means, l.asset_id, l.card_uid, l.voids_line_id, l.reason,
               l.created_at, v.line_id IS NOT NULL, o.idempotency_key
        FROM sale_lines l
        LEFT JOIN sale_lines v ON v.voids_line_id = l.line_id
        LEFT JOIN ledger_operations o ON o.operation_id = v.operation_id
        """;

    /// <summary>The lines of <paramref name="venue"/> among <paramref name="ids"/> (others' lines are simply not found).</summary>
    public Task<ImmutableArray<StoredSaleLine>> FindAsync(VenueId venue, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ReadAsync(Select + " WHERE l.venue_id = $1 AND l.line_id = ANY($2) ORDER BY l.line_id", venue, new NpgsqlParameter<long[]> { TypedValue = [.. ids] }, cancellationToken);

    /// <summary>The lines of one operation at <paramref name="venue"/>, in order.</summary>
    public Task<ImmutableArray<StoredSaleLine>> OfOperationAsync(VenueId venue, Guid operation, CancellationToken cancellationToken = default) =>
        ReadAsync(Select + " WHERE l.venue_id = $1 AND l.operation_id = $2 ORDER BY l.line_id", venue, new NpgsqlParameter<Guid> { TypedValue = operation }, cancellationToken);

    private async Task<ImmutableArray<StoredSaleLine>> ReadAsync(string sql, VenueId venue, NpgsqlParameter second, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(second);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<StoredSaleLine>();
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            Guid? Id(int i) => reader.IsDBNull(i) ? null : reader.GetGuid(i);
            var context = new TillContext(Text(2) ?? "", Text(3) ?? "", Id(4), Text(5), Id(6));
            var row = new SaleLineRow((SaleLineKind)reader.GetInt16(7), Id(8), reader.GetString(9), Id(10), Text(11), reader.GetInt32(12), reader.GetInt32(13),
                reader.GetInt64(14), reader.GetInt64(15), (SaleLineMeans)reader.GetInt16(16), Id(17) is { } a ? new AssetId(a) : null,
                Text(18) is { } c ? new CardUid(c) : null, reader.IsDBNull(19) ? null : reader.GetInt64(19), Text(20));
            list.Add(new StoredSaleLine(reader.GetInt64(0), reader.GetGuid(1), context, row, reader.GetFieldValue<DateTimeOffset>(21), reader.GetBoolean(22), Text(23)));
        }

        return list.ToImmutable();
    }
}

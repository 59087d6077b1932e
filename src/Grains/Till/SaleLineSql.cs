using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>
/// The one way sale lines are written: as part of the ledger writer's batch (<see cref="InsertCommand"/>), so they commit
/// with their ledger operations or not at all; and, for the benchmark's bulk load, by COPY with the same columns.
/// </summary>
public static class SaleLineSql
{
    private const string Columns =
        "operation_id, venue_id, point_of_sale_id, session_id, cashier, kind, product_id, product_name, category_id, category_name, "
        + "vat_rate, quantity, unit_price, amount, means, asset_id, card_uid, table_id, order_id, created_at";

    /// <summary>Rows accumulated for one batch, column by column (one statement whatever the number of rows).</summary>
    public sealed class Batch
    {
        private readonly List<Guid> _op = [];
        private readonly List<string> _venue = [];
        private readonly List<string?> _pos = [];
        private readonly List<Guid?> _session = [];
        private readonly List<string?> _cashier = [];
        private readonly List<short> _kind = [];
        private readonly List<Guid?> _product = [];
        private readonly List<string> _name = [];
        private readonly List<Guid?> _category = [];
        private readonly List<string?> _categoryName = [];
        private readonly List<int> _vat = [];
        private readonly List<int> _quantity = [];
        private readonly List<long> _unit = [];
        private readonly List<long> _amount = [];
        private readonly List<short> _means = [];
        private readonly List<Guid?> _asset = [];
        private readonly List<string?> _card = [];
        private readonly List<string?> _table = [];
        private readonly List<Guid?> _order = [];

        public int Count => _op.Count;

        public void Add(Guid operation, VenueId venue, TillRows rows)
        {
            foreach (var r in rows.Rows)
            {
                _op.Add(operation);
                _venue.Add(venue.Value);
                _pos.Add(rows.Context.PointOfSale);
                _session.Add(rows.Context.Session);
                _cashier.Add(rows.Context.Cashier);
                _kind.Add((short)r.Kind);
                _product.Add(r.Product);
                _name.Add(r.ProductName);
                _category.Add(r.Category);
                _categoryName.Add(r.CategoryName);
                _vat.Add(r.VatRate);
                _quantity.Add(r.Quantity);
                _unit.Add(r.UnitPrice);
                _amount.Add(r.Amount);
                _means.Add((short)r.Means);
                _asset.Add(r.Asset?.Value);
                _card.Add(r.Card?.Value);
                _table.Add(rows.Context.Table);
                _order.Add(rows.Context.Order);
            }
        }

        /// <summary>The INSERT of every row, stamped <paramref name="at"/> (the batch's time, as its ledger rows).</summary>
        public NpgsqlBatchCommand InsertCommand(DateTime at) => new(
            $"INSERT INTO sale_lines ({Columns}) SELECT *, $20 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::smallint[], "
            + "$7::uuid[], $8::text[], $9::uuid[], $10::text[], $11::int[], $12::int[], $13::bigint[], $14::bigint[], $15::smallint[], $16::uuid[], "
            + "$17::text[], $18::text[], $19::uuid[])")
        {
            Parameters =
            {
                Array(NpgsqlDbType.Uuid, _op), Array(NpgsqlDbType.Text, _venue), Array(NpgsqlDbType.Text, _pos), Array(NpgsqlDbType.Uuid, _session),
                Array(NpgsqlDbType.Text, _cashier), Array(NpgsqlDbType.Smallint, _kind), Array(NpgsqlDbType.Uuid, _product),
                Array(NpgsqlDbType.Text, _name), Array(NpgsqlDbType.Uuid, _category), Array(NpgsqlDbType.Text, _categoryName),
                Array(NpgsqlDbType.Integer, _vat), Array(NpgsqlDbType.Integer, _quantity), Array(NpgsqlDbType.Bigint, _unit),
                Array(NpgsqlDbType.Bigint, _amount), Array(NpgsqlDbType.Smallint, _means), Array(NpgsqlDbType.Uuid, _asset),
                Array(NpgsqlDbType.Text, _card), Array(NpgsqlDbType.Text, _table), Array(NpgsqlDbType.Uuid, _order),
                new NpgsqlParameter<DateTime> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        };

        private static NpgsqlParameter Array<T>(NpgsqlDbType type, List<T> values) =>
            new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };
    }

    /// <summary>Bulk-loads rows by COPY (the benchmark's day of sales); same columns as the batch insert.</summary>
    public static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<(Guid Operation, VenueId Venue, TillContext Context, SaleLineRow Row, DateTime At)> rows, CancellationToken cancellationToken = default)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY sale_lines ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (op, venue, context, r, at) in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(op, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(venue.Value, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, context.PointOfSale, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, context.Session, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, context.Cashier, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync((short)r.Kind, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(writer, r.Product, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(r.ProductName, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, r.Category, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, r.CategoryName, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(r.VatRate, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(r.Quantity, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(r.UnitPrice, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(r.Amount, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync((short)r.Means, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(writer, r.Asset?.Value, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, r.Card?.Value, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, context.Table, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, context.Order, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);
}

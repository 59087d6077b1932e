using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>
/// The one way sale lines are written: as part of the ledger writer's batch (<see cref="InsertCommand"/>), so they commit
/// with their ledger operations or not at all.
/// </summary>
public static class SaleLineSql
{
    private const string Columns =
        "operation_id, venue_id, point_of_sale_id, session_id, cashier, kind, product_id, product_name, category_id, category_name, "
        + "vat_rate, quantity, unit_price, amount, means, asset_id, card_uid, table_id, order_id, ledger_kind, voids_line_id, reason, created_at";

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
        private readonly List<short> _ledgerKind = [];
        private readonly List<long?> _voids = [];
        private readonly List<string?> _reason = [];

        private readonly List<Guid> _tillOp = [];
        private readonly List<string> _tillVenue = [];

        public int Count => _op.Count;

        /// <summary>Adds the rows of one operation of ledger kind <paramref name="kind"/>.</summary>
        public void Add(Guid operation, VenueId venue, Ledger.TransactionKind kind, TillRows rows)
        {
            _tillOp.Add(operation);
            _tillVenue.Add(venue.Value);
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
                _ledgerKind.Add((short)kind);
                _voids.Add(r.VoidsLine);
                _reason.Add(r.Reason);
            }
        }

        /// <summary>The INSERT of every row, stamped <paramref name="at"/> (the batch's time, as its ledger rows).</summary>
        public NpgsqlBatchCommand InsertCommand(DateTime at) => new(
            $"INSERT INTO sale_lines ({Columns}) SELECT *, $23 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::smallint[], "
            + "$7::uuid[], $8::text[], $9::uuid[], $10::text[], $11::int[], $12::int[], $13::bigint[], $14::bigint[], $15::smallint[], $16::uuid[], "
            + "$17::text[], $18::text[], $19::uuid[], $20::smallint[], $21::bigint[], $22::text[])")
        {
            Parameters =
            {
                Array(NpgsqlDbType.Uuid, _op), Array(NpgsqlDbType.Text, _venue), Array(NpgsqlDbType.Text, _pos), Array(NpgsqlDbType.Uuid, _session),
                Array(NpgsqlDbType.Text, _cashier), Array(NpgsqlDbType.Smallint, _kind), Array(NpgsqlDbType.Uuid, _product),
                Array(NpgsqlDbType.Text, _name), Array(NpgsqlDbType.Uuid, _category), Array(NpgsqlDbType.Text, _categoryName),
                Array(NpgsqlDbType.Integer, _vat), Array(NpgsqlDbType.Integer, _quantity), Array(NpgsqlDbType.Bigint, _unit),
                Array(NpgsqlDbType.Bigint, _amount), Array(NpgsqlDbType.Smallint, _means), Array(NpgsqlDbType.Uuid, _asset),
                Array(NpgsqlDbType.Text, _card), Array(NpgsqlDbType.Text, _table), Array(NpgsqlDbType.Uuid, _order),
                Array(NpgsqlDbType.Smallint, _ledgerKind), Array(NpgsqlDbType.Bigint, _voids), Array(NpgsqlDbType.Text, _reason),
                new NpgsqlParameter<DateTime> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        };

        /// <summary>The INSERT of the batch's till operations (one row per operation that carried lines), stamped <paramref name="at"/>.</summary>
        public NpgsqlBatchCommand InsertOperationsCommand(DateTime at) => new(
            "INSERT INTO till_operations (operation_id, venue_id, created_at) SELECT *, $3 FROM unnest($1::uuid[], $2::text[])")
        {
            Parameters =
            {
                Array(NpgsqlDbType.Uuid, _tillOp), Array(NpgsqlDbType.Text, _tillVenue),
                new NpgsqlParameter<DateTime> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        };

        private static NpgsqlParameter Array<T>(NpgsqlDbType type, List<T> values) =>
            new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };
    }
}

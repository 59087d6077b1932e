using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Catalog;

/// <summary>SQL for the catalog: categories, products, placements and stock. Writes come from the catalog grain; the sale path reads.</summary>
public sealed class CatalogStore(NpgsqlDataSource dataSource)
{
    private const string ProductColumns =
        "p.product_id, p.venue_id, p.category_id, p.name, p.behaviour, p.vat_rate, p.asset_id, p.stock, p.allow_negative, p.archived, p.membership_product_id";

    /// <summary>
    /// Inserts or updates a category of <paramref name="venue"/>. False when the id belongs to another venue (nothing written).
    /// </summary>
    public async Task<bool> SaveCategoryAsync(VenueId venue, SaveCategoryRequest c, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO catalog_categories AS k (category_id, venue_id, name, vat_rate, station) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (category_id) DO UPDATE SET name = excluded.name, vat_rate = excluded.vat_rate, station = excluded.station, archived = false
            WHERE k.venue_id = excluded.venue_id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = c.Id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = c.Name });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = c.VatRate });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)c.Station ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Inserts or updates a product of <paramref name="venue"/> and replaces its placements, in one transaction. False when
    /// the product id belongs to another venue or the category is not one of this venue's active ones (nothing written).
    /// </summary>
    public async Task<bool> SaveProductAsync(VenueId venue, SaveProductRequest p, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO catalog_products AS p (product_id, venue_id, category_id, name, behaviour, vat_rate, asset_id, allow_negative, membership_product_id)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
            WHERE EXISTS (SELECT 1 FROM catalog_categories WHERE category_id = $3 AND venue_id = $2 AND NOT archived)
            ON CONFLICT (product_id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name, behaviour = excluded.behaviour,
                vat_rate = excluded.vat_rate, asset_id = excluded.asset_id, allow_negative = excluded.allow_negative, archived = false,
                membership_product_id = excluded.membership_product_id
            WHERE p.venue_id = excluded.venue_id
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = p.Id });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = p.Category });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = p.Name });
            cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)p.Behaviour });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)p.VatRate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)p.Asset?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = p.AllowNegativeStock });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)p.MembershipProduct ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            if (await cmd.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM catalog_placements WHERE product_id = $1")
            {
                Parameters = { new NpgsqlParameter<Guid> { TypedValue = p.Id } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO catalog_placements (product_id, point_of_sale_id, price, position) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::int[])")
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid> { TypedValue = p.Id },
                    new NpgsqlParameter<string[]> { TypedValue = [.. p.Placements.Select(x => x.PointOfSale)] },
                    new NpgsqlParameter<long[]> { TypedValue = [.. p.Placements.Select(x => x.Price)] },
                    new NpgsqlParameter<int[]> { TypedValue = [.. p.Placements.Select(x => x.Position)] },
                },
            });
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Archives (or restores) a product of the venue. False when it is not one of the venue's.</summary>
    public async Task<bool> SetProductArchivedAsync(VenueId venue, Guid product, bool archived, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE catalog_products SET archived = $3 WHERE product_id = $1 AND venue_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = product });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = archived });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Sets a product's stock level (null: not counted). False when it is not one of the venue's.</summary>
    public async Task<bool> SetStockAsync(VenueId venue, Guid product, long? stock, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE catalog_products SET stock = $3 WHERE product_id = $1 AND venue_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = product });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)stock ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The venue's categories, archived ones included.</summary>
    public async Task<ImmutableArray<CategoryDetails>> CategoriesAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT category_id, name, vat_rate, station, archived FROM catalog_categories WHERE venue_id = $1 ORDER BY name, category_id");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<CategoryDetails>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CategoryDetails(reader.GetGuid(0), venue, reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4)));
        }

        return list.ToImmutable();
    }

    /// <summary>The venue's products with their placements; archived ones only when asked.</summary>
    public async Task<ImmutableArray<ProductDetails>> ProductsAsync(VenueId venue, bool includeArchived, Guid? only = null, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $$"""
            SELECT {{ProductColumns}},
                   coalesce(array_agg(l.point_of_sale_id ORDER BY l.point_of_sale_id) FILTER (WHERE l.product_id IS NOT NULL), '{}'),
                   coalesce(array_agg(l.price ORDER BY l.point_of_sale_id) FILTER (WHERE l.product_id IS NOT NULL), '{}'),
                   coalesce(array_agg(l.position ORDER BY l.point_of_sale_id) FILTER (WHERE l.product_id IS NOT NULL), '{}')
            FROM catalog_products p LEFT JOIN catalog_placements l ON l.product_id = p.product_id
            WHERE p.venue_id = $1 AND ($2 OR NOT p.archived) AND ($3::uuid IS NULL OR p.product_id = $3)
            GROUP BY p.product_id
            ORDER BY p.name, p.product_id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = includeArchived });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)only ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<ProductDetails>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var codes = reader.GetFieldValue<string[]>(11);
            var prices = reader.GetFieldValue<long[]>(12);
            var positions = reader.GetFieldValue<int[]>(13);
            list.Add(new ProductDetails(
                reader.GetGuid(0), venue, reader.GetGuid(2), reader.GetString(3), (ProductBehaviour)reader.GetInt16(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : new AssetId(reader.GetGuid(6)),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetBoolean(8), reader.GetBoolean(9),
                [.. codes.Select((c, i) => new Placement(c, prices[i], positions[i]))],
                reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }

        return list.ToImmutable();
    }

    /// <summary>
    /// What a till sells, in screen order; with <paramref name="products"/>, only those (the sale path pricing a basket).
    /// Archived products and products of archived categories are not sold.
    /// </summary>
    public async Task<ImmutableArray<MenuItem>> MenuAsync(VenueId venue, string pointOfSale, IReadOnlyCollection<Guid>? products = null, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT p.product_id, p.name, p.behaviour, c.category_id, c.name, c.station, coalesce(p.vat_rate, c.vat_rate), p.asset_id,
                   l.price, l.position, p.stock, p.membership_product_id
            FROM catalog_placements l
            JOIN catalog_products p ON p.product_id = l.product_id
            JOIN catalog_categories c ON c.category_id = p.category_id
            WHERE l.point_of_sale_id = $2 AND p.venue_id = $1 AND NOT p.archived AND NOT c.archived
              AND ($3::uuid[] IS NULL OR p.product_id = ANY($3))
            ORDER BY l.position, p.name
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pointOfSale });
        cmd.Parameters.Add(new NpgsqlParameter { Value = products is null ? DBNull.Value : products.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<MenuItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new MenuItem(
                reader.GetGuid(0), reader.GetString(1), (ProductBehaviour)reader.GetInt16(2), reader.GetGuid(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : new AssetId(reader.GetGuid(7)),
                reader.GetInt64(8), reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetInt64(10),
                reader.IsDBNull(11) ? null : reader.GetGuid(11)));
        }

        return list.ToImmutable();
    }

    /// <summary>
    /// Takes stock for a sale, once per key: counted products are decremented in one transaction, under their row locks,
    /// so concurrent sales stay exact. A retried key takes nothing more. False (nothing taken) when a product would go
    /// below zero without permission.
    /// </summary>
    public async Task<bool> TakeStockAsync(IdempotencyKey key, IReadOnlyList<(Guid Product, long Quantity)> items, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0)
        {
            return true;
        }

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        // Products in id order: two sales of the same products lock their rows in the same order and cannot deadlock.
        var ordered = items.GroupBy(i => i.Product).Select(g => (Product: g.Key, Quantity: g.Sum(i => i.Quantity))).OrderBy(i => i.Product).ToArray();
        await using var cmd = new NpgsqlCommand(
            """
            WITH moved AS (
                INSERT INTO catalog_stock_moves (idempotency_key, product_id, quantity)
                SELECT $1, * FROM unnest($2::uuid[], $3::bigint[])
                ON CONFLICT DO NOTHING RETURNING product_id, quantity)
            UPDATE catalog_products p SET stock = p.stock - m.quantity
            FROM moved m WHERE p.product_id = m.product_id AND p.stock IS NOT NULL
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Value });
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ordered.Select(o => o.Product)] });
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ordered.Select(o => o.Quantity)] });
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: "catalog_products_stock_non_negative" })
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives back the stock a declined sale took (once: a second release finds nothing).</summary>
    public async Task ReleaseStockAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH released AS (
                DELETE FROM catalog_stock_moves WHERE idempotency_key = $1 RETURNING product_id, quantity)
            UPDATE catalog_products p SET stock = p.stock + r.quantity
            FROM released r WHERE p.product_id = r.product_id AND p.stock IS NOT NULL
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}

using System.Collections.Immutable;
using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Memberships;

/// <summary>
/// SQL for membership products and purchase rows. Validity is never stored as a flag: it is read from the purchase rows
/// of every wallet a holder owns (the holder's wallet and the own wallets of the cards linked to it), so a membership
/// bought on an anonymous card follows the card to its owner when it is linked.
/// </summary>
public sealed class MembershipStore(NpgsqlDataSource dataSource)
{
    private const string ProductColumns = "product_id, venue_id, name, duration, price, requires_validation, time_zone, archived, created_at";

    private const string PurchaseColumns =
        "purchase_id, product_id, venue_id, wallet_id, card_uid, channel, amount, operation_id, checkout_session, starts_at, ends_at, purchased_at, validated_at";

    // The holder's own wallet and the own wallets of the cards linked to it (identified or lost).
    private const string HolderWallets = "SELECT $2::uuid UNION SELECT card_wallet FROM cards WHERE user_wallet = $2";

    public async Task<MembershipProduct> InsertProductAsync(MembershipProduct product, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"INSERT INTO membership_products ({ProductColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, false, now()) " +
            $"ON CONFLICT (product_id) DO UPDATE SET product_id = excluded.product_id RETURNING {ProductColumns}");
        cmd.Parameters.Add(new() { Value = product.Id.Value });
        cmd.Parameters.Add(new() { Value = product.Venue.Value });
        cmd.Parameters.Add(new() { Value = product.Name });
        cmd.Parameters.Add(new() { Value = (short)product.Duration });
        cmd.Parameters.Add(new() { Value = product.Price });
        cmd.Parameters.Add(new() { Value = product.RequiresValidation });
        cmd.Parameters.Add(new() { Value = product.TimeZone });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadProduct(reader);
    }

    public async Task<MembershipProduct?> FindProductAsync(MembershipProductId id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ProductColumns} FROM membership_products WHERE product_id = $1");
        cmd.Parameters.Add(new() { Value = id.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadProduct(reader) : null;
    }

    /// <summary>The venue's products, archived ones last, at most 200.</summary>
    public async Task<ImmutableArray<MembershipProduct>> ListProductsAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ProductColumns} FROM membership_products WHERE venue_id = $1 ORDER BY archived, name, product_id LIMIT 200");
        cmd.Parameters.Add(new() { Value = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<MembershipProduct>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadProduct(reader));
        }

        return list.ToImmutable();
    }

    /// <summary>The latest end of the holder's purchases of a product (pending ones included, so periods chain), and whether one never ends.</summary>
    public async Task<(DateTimeOffset? End, bool Lifetime)> CurrentEndAsync(MembershipProductId product, WalletId holder, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT max(ends_at), coalesce(bool_or(ends_at IS NULL), false) FROM membership_purchases WHERE product_id = $1 AND wallet_id IN ({HolderWallets})");
        cmd.Parameters.Add(new() { Value = product.Value });
        cmd.Parameters.Add(new() { Value = holder.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0), reader.GetBoolean(1));
    }

    public async Task<MembershipPurchase?> FindPurchaseByKeyAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {PurchaseColumns} FROM membership_purchases WHERE idempotency_key = $1");
        cmd.Parameters.Add(new() { Value = key.Value });
        return await ReadOnePurchaseAsync(cmd, cancellationToken);
    }

    /// <summary>Stores a purchase once per key; a second insert with the same key returns the first row.</summary>
    public async Task<MembershipPurchase> InsertPurchaseAsync(IdempotencyKey key, MembershipPurchase p, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"INSERT INTO membership_purchases (idempotency_key, {PurchaseColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) " +
            "ON CONFLICT (idempotency_key) DO NOTHING");
        cmd.Parameters.Add(new() { Value = key.Value });
        cmd.Parameters.Add(new() { Value = p.Id });
        cmd.Parameters.Add(new() { Value = p.Product.Value });
        cmd.Parameters.Add(new() { Value = p.Venue.Value });
        cmd.Parameters.Add(new() { Value = p.Holder.Value });
        cmd.Parameters.Add(new() { Value = (object?)p.Card?.Value ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (short)p.Channel });
        cmd.Parameters.Add(new() { Value = p.Amount });
        cmd.Parameters.Add(new() { Value = (object?)p.OperationId ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (object?)p.CheckoutSession ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = p.Period.Start.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = (object?)p.Period.End?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = p.PurchasedAt.ToUniversalTime() });
        cmd.Parameters.Add(new() { Value = (object?)p.ValidatedAt?.ToUniversalTime() ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindPurchaseByKeyAsync(key, cancellationToken) ?? throw new InvalidOperationException("The purchase row vanished.");
    }

    /// <summary>Marks a pending purchase of the venue validated; returns it (validated earlier or now), or null when the venue has no such purchase.</summary>
    public async Task<MembershipPurchase?> ValidateAsync(Guid purchase, VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"UPDATE membership_purchases SET validated_at = coalesce(validated_at, now()) WHERE purchase_id = $1 AND venue_id = $2 RETURNING {PurchaseColumns}");
        cmd.Parameters.Add(new() { Value = purchase });
        cmd.Parameters.Add(new() { Value = venue.Value });
        return await ReadOnePurchaseAsync(cmd, cancellationToken);
    }

    /// <summary>The holder's standing with each product of the venue it bought, at <paramref name="now"/>.</summary>
    public async Task<ImmutableArray<MembershipProductStatus>> StatusAsync(VenueId venue, WalletId holder, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT p.product_id, p.name,
                   coalesce(bool_or(m.validated_at IS NOT NULL AND m.starts_at <= $3 AND (m.ends_at IS NULL OR m.ends_at > $3)), false),
                   coalesce(bool_or(m.validated_at IS NOT NULL AND m.ends_at IS NULL), false),
                   max(m.ends_at) FILTER (WHERE m.validated_at IS NOT NULL),
                   coalesce(bool_or(m.validated_at IS NULL AND (m.ends_at IS NULL OR m.ends_at > $3)), false)
            FROM membership_purchases m JOIN membership_products p ON p.product_id = m.product_id
            WHERE m.venue_id = $1 AND m.wallet_id IN ({HolderWallets})
            GROUP BY p.product_id, p.name
            ORDER BY p.name, p.product_id
            """);
        cmd.Parameters.Add(new() { Value = venue.Value });
        cmd.Parameters.Add(new() { Value = holder.Value });
        cmd.Parameters.Add(new() { Value = now.ToUniversalTime() });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<MembershipProductStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = new MembershipProductId(reader.GetGuid(0));
            var name = reader.GetString(1);
            var validNow = reader.GetBoolean(2);
            var lifetime = reader.GetBoolean(3);
            DateTimeOffset? lastEnd = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
            var pending = reader.GetBoolean(5);
            list.Add(validNow || lifetime
                ? new MembershipProductStatus(id, name, MembershipState.Valid, lifetime ? null : lastEnd, null, lifetime)
                : pending
                    ? new MembershipProductStatus(id, name, MembershipState.Pending, null, null, false)
                    : lastEnd is { } ended && ended <= now
                        ? new MembershipProductStatus(id, name, MembershipState.Expired, null, ended, false)
                        : new MembershipProductStatus(id, name, MembershipState.None, null, null, false));
        }

        return list.ToImmutable();
    }

    /// <summary>The purchases of a venue awaiting an admin's validation, oldest first (at most 200).</summary>
    public async Task<ImmutableArray<MembershipPurchase>> PendingAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {PurchaseColumns} FROM membership_purchases WHERE venue_id = $1 AND validated_at IS NULL ORDER BY purchased_at, purchase_id LIMIT 200");
        cmd.Parameters.Add(new() { Value = venue.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<MembershipPurchase>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadPurchase(reader));
        }

        return list.ToImmutable();
    }

    private static async Task<MembershipPurchase?> ReadOnePurchaseAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadPurchase(reader) : null;
    }

    private static MembershipProduct ReadProduct(NpgsqlDataReader r) => new(
        new MembershipProductId(r.GetGuid(0)), new VenueId(r.GetString(1)), r.GetString(2), (MembershipDuration)r.GetInt16(3), r.GetInt64(4),
        r.GetBoolean(5), r.GetString(6), r.GetBoolean(7), r.GetFieldValue<DateTimeOffset>(8));

    private static MembershipPurchase ReadPurchase(NpgsqlDataReader r) => new(
        r.GetGuid(0), new MembershipProductId(r.GetGuid(1)), new VenueId(r.GetString(2)), new WalletId(r.GetGuid(3)),
        r.IsDBNull(4) ? null : new CardUid(r.GetString(4)), (MembershipChannel)r.GetInt16(5), r.GetInt64(6),
        r.IsDBNull(7) ? null : r.GetGuid(7), r.IsDBNull(8) ? null : r.GetString(8),
        new MembershipPeriod(r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10)),
        r.GetFieldValue<DateTimeOffset>(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12));
}

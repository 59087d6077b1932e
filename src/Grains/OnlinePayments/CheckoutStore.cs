using System.Collections.Immutable;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Memberships;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>SQL for Checkout Sessions, processed webhook events, online refunds and the venues' connected accounts.</summary>
public sealed class CheckoutStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "session_id, kind, customer_email, wallet_id, venue_id, stripe_account, product_id, amount, currency, status, url, payment_intent, created_at, completed_at, " +
        "event_id, reservation_id, stripe_refund_id";

    public async Task SetVenueAccountAsync(VenueId venue, string account, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO venue_stripe_accounts (venue_id, account_id) VALUES ($1, $2) ON CONFLICT (venue_id) DO UPDATE SET account_id = $2, updated_at = now()");
        cmd.Parameters.Add(new() { Value = venue.Value });
        cmd.Parameters.Add(new() { Value = account });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> FindVenueAccountAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT account_id FROM venue_stripe_accounts WHERE venue_id = $1");
        cmd.Parameters.Add(new() { Value = venue.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// Stores a new session once per client key (and once per reservation); returns the row kept for that key, or else the
    /// row of that session id (a second key paying the same reservation got the same Stripe session).
    /// </summary>
    public async Task<CheckoutSession> InsertAsync(string clientKey, CheckoutSession s, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO checkout_sessions (session_id, client_key, kind, customer_email, wallet_id, venue_id, stripe_account, product_id, amount, currency, url, " +
            "event_id, reservation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(new() { Value = s.Id });
        cmd.Parameters.Add(new() { Value = clientKey });
        cmd.Parameters.Add(new() { Value = (short)s.Kind });
        cmd.Parameters.Add(new() { Value = s.Customer.Value });
        cmd.Parameters.Add(new() { Value = s.Wallet.Value });
        cmd.Parameters.Add(new() { Value = (object?)s.Venue?.Value ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (object?)s.StripeAccount ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (object?)s.Product?.Value ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = s.Amount });
        cmd.Parameters.Add(new() { Value = s.Currency });
        cmd.Parameters.Add(new() { Value = (object?)s.Url ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = (object?)s.Event?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new() { Value = (object?)s.Reservation ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindByClientKeyAsync(clientKey, cancellationToken) ?? await FindAsync(s.Id, cancellationToken)
            ?? throw new InvalidOperationException("The session row vanished.");
    }

    /// <summary>The session paying a reservation, or null.</summary>
    public async Task<CheckoutSession?> FindByReservationAsync(Guid reservation, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM checkout_sessions WHERE reservation_id = $1");
        cmd.Parameters.Add(new() { Value = reservation });
        return await ReadOneAsync(cmd, cancellationToken);
    }

    /// <summary>Marks a session refunded with Stripe's refund id (from any status but Refunded); returns the row.</summary>
    public async Task<CheckoutSession> SetRefundedAsync(string sessionId, string stripeRefund, string? paymentIntent, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE checkout_sessions SET status = 5, stripe_refund_id = $2, payment_intent = coalesce($3, payment_intent), completed_at = coalesce(completed_at, now()) " +
            "WHERE session_id = $1 AND status <> 5");
        cmd.Parameters.Add(new() { Value = sessionId });
        cmd.Parameters.Add(new() { Value = stripeRefund });
        cmd.Parameters.Add(new() { Value = (object?)paymentIntent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindAsync(sessionId, cancellationToken) ?? throw new InvalidOperationException("The session row vanished.");
    }

    public Task<CheckoutSession?> FindAsync(string sessionId, CancellationToken cancellationToken = default) => FindOneAsync("session_id = $1", sessionId, cancellationToken);

    public Task<CheckoutSession?> FindByClientKeyAsync(string clientKey, CancellationToken cancellationToken = default) => FindOneAsync("client_key = $1", clientKey, cancellationToken);

    /// <summary>Moves a session that is not final yet to <paramref name="status"/>; a final one stays as it is.</summary>
    public async Task<CheckoutSession> SetStatusAsync(string sessionId, CheckoutStatus status, string? paymentIntent, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE checkout_sessions SET status = $2, payment_intent = coalesce($3, payment_intent), " +
            "completed_at = CASE WHEN $2 IN (2, 3, 4) THEN now() ELSE completed_at END WHERE session_id = $1 AND status IN (0, 1)");
        cmd.Parameters.Add(new() { Value = sessionId });
        cmd.Parameters.Add(new() { Value = (short)status });
        cmd.Parameters.Add(new() { Value = (object?)paymentIntent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindAsync(sessionId, cancellationToken) ?? throw new InvalidOperationException("The session row vanished.");
    }

    /// <summary>Whether this webhook event was processed already.</summary>
    public async Task<bool> EventSeenAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM stripe_events WHERE event_id = $1)");
        cmd.Parameters.Add(new() { Value = eventId });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Notes a processed event (after its effects, so a crash in between only makes Stripe send it again, which is harmless).</summary>
    public async Task RecordEventAsync(string eventId, string type, string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("INSERT INTO stripe_events (event_id, type, session_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = type });
        cmd.Parameters.Add(new() { Value = (object?)sessionId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The wallet's completed FED top-ups with what is left to refund on each, newest first.</summary>
    public async Task<ImmutableArray<(string Session, string PaymentIntent, long Refundable)>> RefundableTopUpsAsync(WalletId wallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT s.session_id, s.payment_intent, s.amount - coalesce((SELECT sum(r.amount) FROM online_refunds r WHERE r.session_id = s.session_id), 0)
            FROM checkout_sessions s
            WHERE s.wallet_id = $1 AND s.kind = 1 AND s.status = 2 AND s.payment_intent IS NOT NULL
            ORDER BY s.completed_at DESC, s.session_id DESC
            """);
        cmd.Parameters.Add(new() { Value = wallet.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<(string, string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt64(2) > 0)
            {
                list.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return list.ToImmutable();
    }

    /// <summary>The planned parts of a refund, or empty when none was planned under this key.</summary>
    public async Task<(long Requested, ImmutableArray<OnlineRefundPart> Parts)> RefundPartsAsync(string refundKey, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT r.session_id, r.payment_intent, r.amount, r.stripe_refund_id, r.requested FROM online_refunds r " +
            "JOIN checkout_sessions s ON s.session_id = r.session_id WHERE r.refund_key = $1 ORDER BY s.completed_at DESC, s.session_id DESC");
        cmd.Parameters.Add(new() { Value = refundKey });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = ImmutableArray.CreateBuilder<OnlineRefundPart>();
        long requested = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new OnlineRefundPart(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            requested = reader.GetInt64(4);
        }

        return (requested, list.ToImmutable());
    }

    /// <summary>Plans a refund's parts in one statement: all of them or, when the key was planned already, none.</summary>
    public async Task PlanRefundAsync(string refundKey, WalletId wallet, long requested, ImmutableArray<OnlineRefundPart> parts, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO online_refunds (refund_key, session_id, wallet_id, payment_intent, amount, requested) " +
            "SELECT $1, s, $2, p, a, $3 FROM unnest($4::text[], $5::text[], $6::bigint[]) AS t(s, p, a) " +
            "WHERE NOT EXISTS (SELECT 1 FROM online_refunds WHERE refund_key = $1) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(new() { Value = refundKey });
        cmd.Parameters.Add(new() { Value = wallet.Value });
        cmd.Parameters.Add(new() { Value = requested });
        cmd.Parameters.Add(new() { Value = parts.Select(p => p.Session).ToArray() });
        cmd.Parameters.Add(new() { Value = parts.Select(p => p.PaymentIntent).ToArray() });
        cmd.Parameters.Add(new() { Value = parts.Select(p => p.Amount).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetStripeRefundAsync(string refundKey, string sessionId, string stripeRefund, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE online_refunds SET stripe_refund_id = $3 WHERE refund_key = $1 AND session_id = $2");
        cmd.Parameters.Add(new() { Value = refundKey });
        cmd.Parameters.Add(new() { Value = sessionId });
        cmd.Parameters.Add(new() { Value = stripeRefund });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<CheckoutSession?> FindOneAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM checkout_sessions WHERE {where}");
        cmd.Parameters.Add(new() { Value = value });
        return await ReadOneAsync(cmd, cancellationToken);
    }

    private static async Task<CheckoutSession?> ReadOneAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CheckoutSession(
            reader.GetString(0), (CheckoutKind)reader.GetInt16(1), new EmailAddress(reader.GetString(2)), new WalletId(reader.GetGuid(3)),
            reader.IsDBNull(4) ? null : new VenueId(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : new MembershipProductId(reader.GetGuid(6)), reader.GetInt64(7), reader.GetString(8), (CheckoutStatus)reader.GetInt16(9),
            reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
            reader.GetFieldValue<DateTimeOffset>(12), reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            reader.IsDBNull(14) ? null : new Events.EventId(reader.GetGuid(14)), reader.IsDBNull(15) ? null : reader.GetGuid(15),
            reader.IsDBNull(16) ? null : reader.GetString(16));
    }
}

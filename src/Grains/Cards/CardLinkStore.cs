using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Cards;

/// <summary>A link started at a counter, waiting for its mailed token (see <see cref="CardLinkStore"/>).</summary>
public sealed record PendingCardLink(IdempotencyKey Key, CardUid Uid, EmailAddress Email, VenueId Venue, DateTimeOffset ExpiresAt, DateTimeOffset? ConfirmedAt);

/// <summary>SQL for links started at a counter (<c>card_link_requests</c>). Only the SHA-256 of a mailed token is stored.</summary>
public sealed class CardLinkStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "idempotency_key, uid, email, venue_id, expires_at, confirmed_at";

    /// <summary>
    /// Records a pending link under its key, or, for a key already used for this same card, e-mail and venue and not yet
    /// confirmed, replaces its token and expiry (the earlier token stops working). Returns the stored link; CONFLICT when
    /// the key was used for another link.
    /// </summary>
    public async Task<PendingCardLink> StartAsync(PendingCardLink link, byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            INSERT INTO card_link_requests (idempotency_key, uid, email, venue_id, token_hash, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (idempotency_key) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at
                WHERE card_link_requests.uid = excluded.uid AND card_link_requests.email = excluded.email
                  AND card_link_requests.venue_id = excluded.venue_id AND card_link_requests.confirmed_at IS NULL
            RETURNING {Columns}
            """);
        cmd.Parameters.Add(new() { Value = link.Key.Value });
        cmd.Parameters.Add(new() { Value = link.Uid.Value });
        cmd.Parameters.Add(new() { Value = link.Email.Value });
        cmd.Parameters.Add(new() { Value = link.Venue.Value });
        cmd.Parameters.Add(new() { Value = tokenHash });
        cmd.Parameters.Add(new() { Value = link.ExpiresAt });
        if (await ReadOneAsync(cmd, cancellationToken) is { } stored)
        {
            return stored;
        }

        // The key exists and was not updated: another link, or this one already confirmed.
        var existing = await FindAsync("idempotency_key = $1", link.Key.Value, cancellationToken);
        return existing is { ConfirmedAt: not null } && existing.Uid == link.Uid && existing.Email == link.Email && existing.Venue == link.Venue
            ? existing
            : throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
    }

    /// <summary>The link whose mailed token hashes to <paramref name="tokenHash"/>, or null.</summary>
    public async Task<PendingCardLink?> FindByTokenAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM card_link_requests WHERE token_hash = $1");
        cmd.Parameters.Add(new() { Value = tokenHash });
        return await ReadOneAsync(cmd, cancellationToken);
    }

    /// <summary>Whether a link was started under this key (a ledger operation must not reuse it).</summary>
    public async Task<bool> KeyUsedAsync(IdempotencyKey key, CancellationToken cancellationToken = default) =>
        await FindAsync("idempotency_key = $1", key.Value, cancellationToken) is not null;

    /// <summary>Marks the link confirmed (once; later calls keep the first time).</summary>
    public async Task ConfirmAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE card_link_requests SET confirmed_at = now() WHERE idempotency_key = $1 AND confirmed_at IS NULL");
        cmd.Parameters.Add(new() { Value = key.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<PendingCardLink?> FindAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM card_link_requests WHERE {where}");
        cmd.Parameters.Add(new() { Value = value });
        return await ReadOneAsync(cmd, cancellationToken);
    }

    private static async Task<PendingCardLink?> ReadOneAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? new PendingCardLink(new IdempotencyKey(r.GetString(0)), new CardUid(r.GetString(1)), new EmailAddress(r.GetString(2)), new VenueId(r.GetString(3)),
                r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5))
            : null;
    }
}

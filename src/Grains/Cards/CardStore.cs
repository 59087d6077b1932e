using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Cards;

/// <summary>A card's row: the CardGrain's state.</summary>
public sealed record CardRow(
    CardUid Uid,
    CardNumber Number,
    string QrId,
    string? Batch,
    CardState State,
    WalletId CardWallet,
    WalletId? UserWallet,
    bool FusionPending,
    int Version,
    DateTimeOffset RegisteredAt,
    ImmutableArray<VenueId> CashierAt,
    VenueId? BlockedBy = null,
    string? BlockedReason = null)
{
    /// <summary>The wallet the card pays from, or null when lost or blocked.</summary>
    public WalletId? ActiveWallet => BlockedBy is null ? PayingWallet : null;

    /// <summary>The wallet the card's money is in, blocked or not (null when lost).</summary>
    public WalletId? PayingWallet => ActiveWalletOf(State, CardWallet, UserWallet);

    /// <summary>The one rule for which wallet a card pays from: none when lost, the user's once identified, else its own.</summary>
    public static WalletId? ActiveWalletOf(CardState state, WalletId cardWallet, WalletId? userWallet) => state switch
    {
        CardState.Lost => null,
        CardState.Identified => userWallet,
        _ => cardWallet,
    };

    /// <summary>
    /// The ledger key of the fusion that completes a link left pending by a crash: one per card and user wallet, in the
    /// system's own shape (no client key starts with "fusion:"), so every completion after the first replays it.
    /// </summary>
    public static IdempotencyKey PendingFusionKey(CardUid uid, WalletId userWallet) => new($"fusion:{uid.Value}:{userWallet.Value:N}");

    public CardDetails ToDetails() => new(Uid, Number, QrId, Batch, State, ActiveWallet, CashierAt, RegisteredAt, BlockedBy, BlockedReason);
}

/// <summary>SQL for cards: the grain's row, the link transaction, bulk registration and lookups.</summary>
public sealed class CardStore(NpgsqlDataSource dataSource) : ICardLinks
{
    private const string Columns = "c.uid, c.number, c.qr_id, c.batch, c.state, c.card_wallet, c.user_wallet, c.fusion_pending, c.version, c.registered_at, " +
        "coalesce((SELECT array_agg(g.venue_id ORDER BY g.venue_id) FROM card_cashier_grants g WHERE g.uid = c.uid), '{}'), c.blocked_by, c.blocked_reason";

    public Task<CardRow?> FindByUidAsync(CardUid uid, CancellationToken cancellationToken = default) => FindAsync("c.uid = $1", uid.Value, cancellationToken);

    public Task<CardRow?> FindByNumberAsync(CardNumber number, CancellationToken cancellationToken = default) => FindAsync("c.number = $1", number.Value, cancellationToken);

    public Task<CardRow?> FindByQrAsync(string qrId, CancellationToken cancellationToken = default) => FindAsync("c.qr_id = $1", qrId, cancellationToken);

    private async Task<CardRow?> FindAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM cards c WHERE {where}");
        cmd.Parameters.Add(new() { Value = value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<WalletId?> FindCardWalletAsync(CardUid uid, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT card_wallet FROM cards WHERE uid = $1");
        cmd.Parameters.Add(new() { Value = uid.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is Guid wallet ? new WalletId(wallet) : null;
    }

    public async Task<CardLink?> FindLinkAsync(CardUid uid, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT card_wallet, state, user_wallet, blocked_by IS NOT NULL, fusion_pending FROM cards WHERE uid = $1");
        cmd.Parameters.Add(new() { Value = uid.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var cardWallet = new WalletId(reader.GetGuid(0));
        WalletId? user = reader.IsDBNull(2) ? null : new WalletId(reader.GetGuid(2));
        var blocked = reader.GetBoolean(3);
        var state = (CardState)reader.GetInt16(1);
        var pending = reader.GetBoolean(4) && state is CardState.Identified or CardState.Lost ? user : null;
        return new CardLink(uid, cardWallet, user, blocked ? null : CardRow.ActiveWalletOf(state, cardWallet, user), blocked, pending);
    }

    /// <summary>Sets the state if the row is still at <paramref name="version"/>; false when another activation changed it.</summary>
    public async Task<bool> SetStateAsync(CardUid uid, int version, CardState state, bool fusionPending, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE cards SET state = $3, fusion_pending = $4, version = version + 1, updated_at = now() WHERE uid = $1 AND version = $2");
        cmd.Parameters.Add(new() { Value = uid.Value });
        cmd.Parameters.Add(new() { Value = version });
        cmd.Parameters.Add(new() { Value = (short)state });
        cmd.Parameters.Add(new() { Value = fusionPending });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task GrantCashierAsync(CardUid uid, VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("INSERT INTO card_cashier_grants (uid, venue_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(new() { Value = uid.Value });
        cmd.Parameters.Add(new() { Value = venue.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RevokeCashierAsync(CardUid uid, VenueId venue, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM card_cashier_grants WHERE uid = $1 AND venue_id = $2");
        cmd.Parameters.Add(new() { Value = uid.Value });
        cmd.Parameters.Add(new() { Value = venue.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The user wallet of an e-mail, or null if no card was ever linked to it.</summary>
    public async Task<WalletId?> FindUserWalletAsync(EmailAddress email, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT wallet_id FROM wallet_owners WHERE email = $1");
        cmd.Parameters.Add(new() { Value = email.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is Guid id ? new WalletId(id) : null;
    }

    /// <summary>The e-mail owning a user wallet (the account a card is linked to), or null.</summary>
    public async Task<EmailAddress?> FindOwnerEmailAsync(WalletId userWallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT email FROM wallet_owners WHERE wallet_id = $1");
        cmd.Parameters.Add(new() { Value = userWallet.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is string email ? new EmailAddress(email) : null;
    }

    /// <summary>
    /// Marks the card identified to the e-mail's user wallet (created if needed), with the fusion still to do. Serialised per
    /// user by a row lock, so two cards cannot both pass the takeover check. Unless <paramref name="ownerSignedIn"/>,
    /// CONFLICT when the user's wallet already has another card, identified or lost, and a positive balance. Returns null
    /// when the row moved past <paramref name="version"/>.
    /// </summary>
    public async Task<WalletId?> LinkAsync(CardUid uid, int version, EmailAddress email, bool ownerSignedIn, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            """
            WITH owner AS (INSERT INTO wallet_owners (email, wallet_id) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING wallet_id)
            INSERT INTO ledger_wallets (wallet_id, kind) SELECT wallet_id, 0 FROM owner
            """, conn, tx))
        {
            create.Parameters.Add(new() { Value = email.Value });
            create.Parameters.Add(new() { Value = WalletId.New().Value });
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        Guid userWallet;
        await using (var lockOwner = new NpgsqlCommand("SELECT wallet_id FROM wallet_owners WHERE email = $1 FOR UPDATE", conn, tx))
        {
            lockOwner.Parameters.Add(new() { Value = email.Value });
            userWallet = (Guid)(await lockOwner.ExecuteScalarAsync(cancellationToken))!;
        }

        if (!ownerSignedIn)
        {
            await using var check = new NpgsqlCommand(TakeoverCheck, conn, tx);
            check.Parameters.Add(new() { Value = userWallet });
            check.Parameters.Add(new() { Value = uid.Value });
            if (await check.ExecuteScalarAsync(cancellationToken) is true)
            {
                throw TakeoverRefused();
            }
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE cards SET state = 2, user_wallet = $3, fusion_pending = true, version = version + 1, updated_at = now() WHERE uid = $1 AND version = $2", conn, tx))
        {
            update.Parameters.Add(new() { Value = uid.Value });
            update.Parameters.Add(new() { Value = version });
            update.Parameters.Add(new() { Value = userWallet });
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return null;
            }
        }

        await tx.CommitAsync(cancellationToken);
        return new WalletId(userWallet);
    }

    /// <summary>
    /// Whether linking <paramref name="uid"/> to <paramref name="email"/> would reach a balance that other cards already use:
    /// the user's wallet has another card, identified or lost (a lost card is still the owner's), and a positive balance.
    /// Only the signed-in owner may add a card to such a wallet.
    /// </summary>
    public async Task<bool> WouldTakeOverAsync(CardUid uid, EmailAddress email, CancellationToken cancellationToken = default)
    {
        if (await FindUserWalletAsync(email, cancellationToken) is not { } wallet)
        {
            return false;
        }

        await using var cmd = dataSource.CreateCommand(TakeoverCheck);
        cmd.Parameters.Add(new() { Value = wallet.Value });
        cmd.Parameters.Add(new() { Value = uid.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>The CONFLICT of a link refused by the takeover rule.</summary>
    public static DomainException TakeoverRefused() =>
        new(ErrorCodes.Conflict, "This user's wallet already has a card and a balance; its owner links new cards from their account.");

    /// <summary>Blocks (<paramref name="venue"/> set) or unblocks the card if the row is still at <paramref name="version"/>.</summary>
    public async Task<bool> SetBlockAsync(CardUid uid, int version, VenueId? venue, string? reason, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            UPDATE cards SET blocked_by = $3, blocked_reason = $4, blocked_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END,
                             version = version + 1, updated_at = now()
            WHERE uid = $1 AND version = $2
            """);
        cmd.Parameters.Add(new() { Value = uid.Value });
        cmd.Parameters.Add(new() { Value = version });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)venue?.Value ?? DBNull.Value });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)reason ?? DBNull.Value });
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The cards linked to a user wallet (identified or lost), oldest first.</summary>
    public async Task<ImmutableArray<CardDetails>> FindOwnedAsync(WalletId userWallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM cards c WHERE c.user_wallet = $1 ORDER BY c.registered_at, c.uid");
        cmd.Parameters.Add(new() { Value = userWallet.Value });
        var cards = ImmutableArray.CreateBuilder<CardDetails>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cards.Add(Read(reader).ToDetails());
        }

        return cards.ToImmutable();
    }

    private const string TakeoverCheck =
        """
        SELECT EXISTS (SELECT 1 FROM cards WHERE user_wallet = $1 AND state IN (2, 3) AND uid <> $2)
           AND EXISTS (SELECT 1 FROM ledger_balances WHERE wallet_id = $1 AND balance > 0)
        """;

    /// <summary>Inserts the cards (and their wallets) that do not exist yet; returns the UIDs inserted.</summary>
    public async Task<HashSet<string>> InsertAsync(IReadOnlyList<(CardUid Uid, CardNumber Number, string QrId)> cards, string? batch, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[]) AS i(uid, number, qr_id, wallet)),
                 ins AS (INSERT INTO cards (uid, number, qr_id, batch, card_wallet)
                         SELECT uid, number, qr_id, $5, wallet FROM input ON CONFLICT DO NOTHING RETURNING uid, card_wallet),
                 w AS (INSERT INTO ledger_wallets (wallet_id, kind) SELECT card_wallet, 1 FROM ins)
            SELECT uid FROM ins
            """);
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.Uid.Value).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.Number.Value).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.QrId).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = cards.Select(_ => WalletId.New().Value).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)batch ?? DBNull.Value });
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetString(0));
        }

        return inserted;
    }

    /// <summary>Existing cards sharing a UID, number or QR id with <paramref name="cards"/>.</summary>
    public async Task<List<(string Uid, string Number, string QrId)>> FindClashesAsync(IReadOnlyList<(CardUid Uid, CardNumber Number, string QrId)> cards, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT uid, number, qr_id FROM cards WHERE uid = ANY($1) OR number = ANY($2) OR qr_id = ANY($3)");
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.Uid.Value).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.Number.Value).ToArray() });
        cmd.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cards.Select(c => c.QrId).ToArray() });
        var found = new List<(string, string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return found;
    }

    /// <summary>The cards linked to a user wallet (identified or lost), oldest first; at most <paramref name="limit"/>.</summary>
    public async Task<List<CardRow>> ListByUserWalletAsync(WalletId userWallet, int limit, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM cards c WHERE c.user_wallet = $1 ORDER BY c.registered_at, c.uid LIMIT $2");
        cmd.Parameters.Add(new() { Value = userWallet.Value });
        cmd.Parameters.Add(new() { Value = limit });
        var rows = new List<CardRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static CardRow Read(NpgsqlDataReader r) => new(
        new CardUid(r.GetString(0)),
        new CardNumber(r.GetString(1)),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        (CardState)r.GetInt16(4),
        new WalletId(r.GetGuid(5)),
        r.IsDBNull(6) ? null : new WalletId(r.GetGuid(6)),
        r.GetBoolean(7),
        r.GetInt32(8),
        r.GetFieldValue<DateTimeOffset>(9),
        [.. r.GetFieldValue<string[]>(10).Select(v => new VenueId(v))],
        r.IsDBNull(11) ? null : new VenueId(r.GetString(11)),
        r.IsDBNull(12) ? null : r.GetString(12));
}

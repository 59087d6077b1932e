using System.Collections.Immutable;
using System.Globalization;
using Npgsql;

namespace TiBillet.Grains.Ledger;

/// <summary>One problem found by <see cref="LedgerVerifier"/>: what (CHAIN, BALANCE, ASSET_SUM, NEGATIVE, ORPHAN) and where.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Ledger.LedgerMismatch")]
public sealed record LedgerMismatch(string Kind, string Detail);

/// <summary>The verdict of a full ledger verification. <see cref="Clean"/> when no mismatch was found.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Ledger.LedgerVerification")]
public sealed record LedgerVerification(bool Clean, int Chains, long Links, long Transactions, long BalanceRows, ImmutableArray<LedgerMismatch> Mismatches);

/// <summary>
/// Recomputes every writer's hash chain from the stored operations and lines, checks that each chain ends at its writer's
/// head, recomputes every balance from the transaction rows, and checks the invariants (each asset sums to zero; only
/// mints are negative). Read-only SQL; streams the ledger once.
/// Every query runs in one REPEATABLE READ transaction: under traffic, a batch committed during the check is either
/// wholly seen (link, operations, lines and balances) or not at all, so it is never reported as a mismatch.
/// </summary>
public sealed class LedgerVerifier(NpgsqlDataSource dataSource)
{
    /// <summary>At most this many mismatches are listed (the count of checks still covers everything).</summary>
    public const int MaxMismatches = 1000;

    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var snapshot = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        NpgsqlCommand Command(string sql) => new(sql, conn, snapshot);
        var mismatches = ImmutableArray.CreateBuilder<LedgerMismatch>();
        void Report(string kind, string detail)
        {
            if (mismatches.Count < MaxMismatches)
            {
                mismatches.Add(new LedgerMismatch(kind, detail));
            }
        }

        // Links, in chain order.
        var links = new Dictionary<(Guid, long), Link>();
        var chains = new Dictionary<Guid, List<Link>>();
        await using (var cmd = Command("SELECT writer_id, height, prev_hash, hash, operation_count, transaction_count, chain_version FROM ledger_chain ORDER BY writer_id, height"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var link = new Link(reader.GetGuid(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt16(6));
                links[(link.Writer, link.Height)] = link;
                if (!chains.TryGetValue(link.Writer, out var chain))
                {
                    chains[link.Writer] = chain = [];
                }

                chain.Add(link);
            }
        }

        foreach (var (writer, chain) in chains)
        {
            var previous = LedgerChain.Genesis;
            for (var i = 0; i < chain.Count; i++)
            {
                var link = chain[i];
                if (link.Height != i + 1)
                {
                    Report("CHAIN", $"writer {writer}: height {link.Height} where {i + 1} was expected (a link is missing)");
                }

                if (!link.PrevHash.AsSpan().SequenceEqual(previous))
                {
                    Report("CHAIN", $"writer {writer} height {link.Height}: previous hash does not match the link before");
                }

                previous = link.Hash;
            }
        }

        await CheckHeadsAsync(Command, chains, Report, cancellationToken);

        // Recompute each link's hash from its operations and lines.
        long transactions = 0;
        var seen = new HashSet<(Guid, long)>();
        await using (var cmd = Command(
            """
            SELECT t.writer_id, t.height, t.position, t.operation_id, o.kind, o.idempotency_key, o.request_hash, t.asset_id, t.amount, t.from_wallet, t.to_wallet,
                   o.writer_id, o.height, o.result, o.venue_id, o.card_uid, o.created_at, o.external_amount, o.external_means,
                   t.kind, t.venue_id, t.card_uid, t.created_at
            FROM ledger_transactions t LEFT JOIN ledger_operations o ON o.operation_id = t.operation_id
            ORDER BY t.writer_id, t.height, t.position
            """))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            LedgerChain? hasher = null;
            (Guid Writer, long Height) current = default;
            Guid currentOp = default;
            short version = LedgerChain.CurrentVersion;
            int operations = 0, lines = 0;

            void Close()
            {
                if (hasher is null)
                {
                    return;
                }

                var hash = hasher.Finish();
                hasher.Dispose();
                hasher = null;
                if (!links.TryGetValue(current, out var link))
                {
                    Report("CHAIN", $"writer {current.Writer} height {current.Height}: transactions without a chain link");
                    return;
                }

                if (!link.Hash.AsSpan().SequenceEqual(hash) || link.Operations != operations || link.Transactions != lines)
                {
                    Report("CHAIN", $"writer {current.Writer} height {current.Height}: recomputed hash or counts differ from the link (rows changed, added or removed)");
                }
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                transactions++;
                var key = (reader.GetGuid(0), reader.GetInt64(1));
                if (key != current || hasher is null)
                {
                    Close();
                    current = key;
                    seen.Add(key);
                    var found = links.TryGetValue(key, out var link);
                    version = found ? link!.Version : LedgerChain.CurrentVersion;
                    hasher = new LedgerChain(found ? link!.PrevHash : LedgerChain.Genesis, key.Item1, key.Item2, version);
                    currentOp = default;
                    operations = 0;
                    lines = 0;
                }

                var op = reader.GetGuid(3);
                if (reader.IsDBNull(4))
                {
                    Report("ORPHAN", $"transaction of operation {op} has no operation row");
                    continue;
                }

                if (reader.GetGuid(11) != key.Item1 || reader.GetInt64(12) != key.Item2)
                {
                    Report("CHAIN", $"operation {op} is recorded in another link than its transactions");
                }

                if (op != currentOp)
                {
                    if (version == 1)
                    {
                        hasher!.AppendLegacyOperation(op, (TransactionKind)reader.GetInt16(4), reader.GetString(5), reader.GetFieldValue<byte[]>(6));
                    }
                    else
                    {
                        hasher!.AppendOperation(op, (TransactionKind)reader.GetInt16(4), reader.GetString(5), reader.GetFieldValue<byte[]>(6), reader.GetFieldValue<byte[]>(13),
                            TextOrNull(reader, 14), TextOrNull(reader, 15), reader.GetDateTime(16), reader.GetInt64(17), (PaymentMeans)reader.GetInt16(18));
                    }

                    currentOp = op;
                    operations++;
                }

                if (version == 1)
                {
                    hasher!.AppendLegacyLine(reader.GetInt32(2), reader.GetGuid(7), reader.GetInt64(8), reader.GetGuid(9), reader.GetGuid(10));
                }
                else
                {
                    hasher!.AppendLine(reader.GetInt32(2), op, (TransactionKind)reader.GetInt16(19), reader.GetGuid(7), reader.GetInt64(8), reader.GetGuid(9), reader.GetGuid(10),
                        TextOrNull(reader, 20), TextOrNull(reader, 21), reader.GetDateTime(22));
                }

                lines++;
            }

            Close();
        }

        // A link whose batch held only operations paid outside cards (till sales in cash) has no transactions; it must
        // then hash as an empty link.
        foreach (var link in links.Values.Where(l => !seen.Contains((l.Writer, l.Height)) && !IsEmptyLink(l)))
        {
            Report("CHAIN", $"writer {link.Writer} height {link.Height}: link without transactions");
        }

        // Balances recomputed from the movements.
        long balanceRows = 0;
        await using (var cmd = Command("SELECT count(*) FROM ledger_balances"))
        {
            balanceRows = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }

        await ReportRowsAsync(conn, snapshot,
            """
            WITH computed AS (
                SELECT wallet_id, asset_id, sum(delta) AS balance FROM (
                    SELECT from_wallet AS wallet_id, asset_id, -amount AS delta FROM ledger_transactions
                    UNION ALL
                    SELECT to_wallet, asset_id, amount FROM ledger_transactions) m
                GROUP BY wallet_id, asset_id)
            SELECT coalesce(c.wallet_id, b.wallet_id)::text, coalesce(c.asset_id, b.asset_id)::text, coalesce(c.balance, 0)::bigint, coalesce(b.balance, 0)
            FROM computed c FULL JOIN ledger_balances b ON b.wallet_id = c.wallet_id AND b.asset_id = c.asset_id
            WHERE coalesce(c.balance, 0) <> coalesce(b.balance, 0)
            """,
            r => Report("BALANCE", $"wallet {r.GetString(0)} asset {r.GetString(1)}: transactions give {r.GetInt64(2)}, balance row says {r.GetInt64(3)}"),
            cancellationToken);
        await ReportRowsAsync(conn, snapshot,
            "SELECT asset_id::text, sum(balance)::bigint FROM ledger_balances GROUP BY asset_id HAVING sum(balance) <> 0",
            r => Report("ASSET_SUM", $"asset {r.GetString(0)}: balances sum to {r.GetInt64(1)}, not 0"),
            cancellationToken);
        await ReportRowsAsync(conn, snapshot,
            "SELECT wallet_id::text, asset_id::text, balance FROM ledger_balances WHERE balance < 0 AND wallet_id <> asset_id",
            r => Report("NEGATIVE", $"wallet {r.GetString(0)} asset {r.GetString(1)}: {r.GetInt64(2).ToString(CultureInfo.InvariantCulture)}"),
            cancellationToken);
        await ReportRowsAsync(conn, snapshot,
            """
            SELECT o.operation_id::text FROM ledger_operations o
            WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.operation_id = o.operation_id)
              -- a till sale paid wholly outside cards moves no card money: its sale lines are its rows
              AND NOT (o.external_amount > 0 AND EXISTS (SELECT 1 FROM sale_lines s WHERE s.operation_id = o.operation_id))
            """,
            r => Report("ORPHAN", $"operation {r.GetString(0)} has no transactions"),
            cancellationToken);
        await ReportRowsAsync(conn, snapshot,
            "SELECT s.wallet_id::text, s.seq FROM ledger_wallet_sequence s WHERE NOT EXISTS (SELECT 1 FROM ledger_operations o WHERE o.operation_id = s.operation_id)",
            r => Report("ORPHAN", $"sequence {r.GetInt64(1)} of wallet {r.GetString(0)} has no operation"),
            cancellationToken);

        await snapshot.CommitAsync(cancellationToken);
        return new LedgerVerification(mismatches.Count == 0, chains.Count, links.Count, transactions, balanceRows, mismatches.ToImmutable());
    }

    /// <summary>
    /// Each chain must end at its writer's head, and each head and registered writer must have a chain: a chain cut at its
    /// end, or removed with all its rows, leaves a head (or a writer row) behind that no longer matches.
    /// </summary>
    private static async Task CheckHeadsAsync(Func<string, NpgsqlCommand> command, Dictionary<Guid, List<Link>> chains, Action<string, string> report, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<Guid, (long Height, byte[] Hash)>();
        await using (var cmd = command("SELECT writer_id, height, hash FROM ledger_writer_heads"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                heads[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
            }
        }

        foreach (var (writer, head) in heads)
        {
            if (!chains.TryGetValue(writer, out var chain))
            {
                report("CHAIN", $"writer {writer}: head at height {head.Height} but no chain (a whole chain was removed)");
                continue;
            }

            var last = chain[^1];
            if (last.Height != head.Height || !last.Hash.AsSpan().SequenceEqual(head.Hash))
            {
                report("CHAIN", $"writer {writer}: chain ends at height {last.Height}, its head is at height {head.Height} (the end of the chain was cut off or replaced)");
            }
        }

        foreach (var writer in chains.Keys.Where(w => !heads.ContainsKey(w)))
        {
            report("CHAIN", $"writer {writer}: chain without a head");
        }

        // A writer registers in the transaction of its first batch, so every registered writer has a chain.
        await using (var cmd = command("SELECT w.writer_id FROM ledger_writers w WHERE NOT EXISTS (SELECT 1 FROM ledger_writer_heads h WHERE h.writer_id = w.writer_id)"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var writer = reader.GetGuid(0);
                if (!chains.ContainsKey(writer))
                {
                    report("CHAIN", $"writer {writer}: registered, but neither head nor chain (a whole chain was removed)");
                }
            }
        }
    }

    private static string? TextOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task ReportRowsAsync(NpgsqlConnection conn, NpgsqlTransaction snapshot, string sql, Action<NpgsqlDataReader> report, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, snapshot);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            report(reader);
        }
    }

    private static bool IsEmptyLink(Link link)
    {
        if (link.Operations != 0 || link.Transactions != 0)
        {
            return false;
        }

        using var empty = new LedgerChain(link.PrevHash, link.Writer, link.Height, link.Version);
        return empty.Finish().AsSpan().SequenceEqual(link.Hash);
    }

    private sealed record Link(Guid Writer, long Height, byte[] PrevHash, byte[] Hash, int Operations, int Transactions, short Version);
}

using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Ledger;

/// <summary>One operation waiting in the writer's queue, and how its submitter learns its fate.</summary>
internal sealed class Pending(LedgerEntry entry)
{
    public LedgerEntry Entry { get; } = entry;

    public TaskCompletionSource<LedgerCommit> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// A batch's rows and statements: the column arrays of its operations, lines, sequence numbers and summed balance deltas,
/// its chain link's hash, and the SQL that claims its keys and writes it all in one round trip. Stateless: the writer
/// loop passes in where its chain stands.
/// </summary>
internal static class LedgerBatch
{
    // The optimistic path inserts plainly: a used key fails the statement and the batch takes the two-step path. ON
    // CONFLICT costs a speculative insertion per row (a pre-check and one more WAL record), about half as much again.
    private const string InsertOperationsSql =
        """
        INSERT INTO ledger_operations (operation_id, idempotency_key, request_hash, kind, result, venue_id, card_uid,
                                       external_amount, external_means, writer_id, height, created_at)
        SELECT o.operation_id, o.idempotency_key, o.request_hash, o.kind, o.result, o.venue_id, o.card_uid,
               o.external_amount, o.external_means, $10, $11, $12
        FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::smallint[], $5::bytea[], $6::text[], $7::text[], $8::bigint[], $9::smallint[])
            AS o(operation_id, idempotency_key, request_hash, kind, result, venue_id, card_uid, external_amount, external_means)
        """;

    private const string ClaimOperationsSql = InsertOperationsSql + " ON CONFLICT DO NOTHING RETURNING operation_id";

    private const string SelectExistingSql =
        "SELECT idempotency_key, operation_id, kind, request_hash, result FROM ledger_operations WHERE idempotency_key = ANY($1)";

    private const string InsertTransactionsSql =
        """
        INSERT INTO ledger_transactions (operation_id, writer_id, height, position, kind, asset_id, amount, from_wallet, to_wallet, venue_id, card_uid, created_at)
        SELECT t.operation_id, $1, $2, t.position, t.kind, t.asset_id, t.amount, t.from_wallet, t.to_wallet, t.venue_id, t.card_uid, $12
        FROM unnest($3::uuid[], $4::integer[], $5::smallint[], $6::uuid[], $7::bigint[], $8::uuid[], $9::uuid[], $10::text[], $11::text[])
            AS t(operation_id, position, kind, asset_id, amount, from_wallet, to_wallet, venue_id, card_uid)
        """;

    private const string InsertSequencesSql =
        "INSERT INTO ledger_wallet_sequence (wallet_id, seq, operation_id) SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[])";

    // Existing rows are updated and missing ones inserted. Not INSERT … ON CONFLICT DO UPDATE for all of them: PostgreSQL
    // checks CHECK constraints on the proposed row first, so a negative delta on an existing row would be refused. The
    // insert still adds to a row that another transaction (the other lane's batch, another silo's) created after this
    // statement's snapshot: it waits for that commit, then adds, where a plain insert would fail the whole batch.
    private const string UpsertBalancesSql =
        """
        WITH d AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS d(wallet_id, asset_id, delta)),
             upd AS (UPDATE ledger_balances b SET balance = b.balance + d.delta FROM d
                     WHERE b.wallet_id = d.wallet_id AND b.asset_id = d.asset_id
                     RETURNING b.wallet_id, b.asset_id, b.balance),
             ins AS (INSERT INTO ledger_balances AS b (wallet_id, asset_id, balance)
                     SELECT d.wallet_id, d.asset_id, d.delta FROM d
                     WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.wallet_id = d.wallet_id AND upd.asset_id = d.asset_id)
                     ON CONFLICT (wallet_id, asset_id) DO UPDATE SET balance = b.balance + excluded.balance
                     RETURNING b.wallet_id, b.asset_id, b.balance)
        SELECT wallet_id, asset_id, balance FROM upd UNION ALL SELECT wallet_id, asset_id, balance FROM ins
        """;

    // Every statement of a batch reaches rows through their keys. Planned on a small or freshly grown table, the balance
    // update otherwise joins by scanning the whole table (dead versions included) on every batch: half of a small batch's
    // database time, measured in BENCHMARKS.md. Scoped to the batch's transaction.
    private const string KeyLookupsOnlySql = "SET LOCAL enable_seqscan = off";

    private const string InsertLinkSql =
        "INSERT INTO ledger_chain (writer_id, height, prev_hash, hash, operation_count, transaction_count, chain_version) VALUES ($1, $2, $3, $4, $5, $6, $7)";

    // The head moves with each link, in the same transaction, so a chain cut at its end no longer ends at its head. The
    // guard keeps a head from going back (a stale tip's batch fails on the link's key before it gets here anyway).
    private const string UpsertHeadSql =
        """
        INSERT INTO ledger_writer_heads AS h (writer_id, height, hash) VALUES ($1, $2, $3)
        ON CONFLICT (writer_id) DO UPDATE SET height = excluded.height, hash = excluded.hash, updated_at = now() WHERE h.height < excluded.height
        """;

    private const string InsertWriterSql =
        "INSERT INTO ledger_writers (writer_id, host, process_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    /// <summary>The rows of a batch (all entries, or only <paramref name="accepted"/> ones) and its chain link hash.</summary>
    public static BatchRows BuildRows(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, Guid writerId, byte[] tip, long height, DateTime at)
    {
        var lineCount = 0;
        var seqCount = 0;
        var operations = 0;
        foreach (var p in batch)
        {
            if (accepted is null || accepted.Contains(p.Entry.OperationId))
            {
                lineCount += p.Entry.Lines.Length;
                seqCount += p.Entry.Sequences.Length;
                operations += p.Entry.Lines.IsEmpty ? 0 : 1;
            }
        }

        var r = new BatchRows(lineCount, seqCount) { Operations = operations, At = at };
        var deltas = new Dictionary<(Guid Wallet, Guid Asset), long>(lineCount * 2);
        using var chain = new LedgerChain(tip, writerId, height);
        var line = 0;
        var s = 0;
        foreach (var p in batch)
        {
            var e = p.Entry;
            if (accepted is not null && !accepted.Contains(e.OperationId))
            {
                continue;
            }

            if (e.Till is not null)
            {
                r.Sales ??= new Till.SaleLineSql.Batch();
                r.Sales.Add(e.OperationId, e.Venue!.Value, e.Kind, e.Till);
            }

            // The chain is verified from the transaction rows: an operation without lines (a sale paid wholly outside cards)
            // is not linked, so the verifier's counts still match; its sale lines carry it.
            if (!e.Lines.IsEmpty)
            {
                chain.AppendOperation(e.OperationId, e.Kind, e.Key.Value, e.RequestHash, e.Result, e.Venue?.Value, e.Card?.Value, at, e.ExternalAmount, e.ExternalMeans);
            }

            foreach (var l in e.Lines)
            {
                r.TOp[line] = e.OperationId;
                r.TPos[line] = line;
                r.TKind[line] = (short)e.Kind;
                r.TAsset[line] = l.Asset.Value;
                r.TAmount[line] = l.Amount;
                r.TFrom[line] = l.From.Value;
                r.TTo[line] = l.To.Value;
                r.TVenue[line] = e.Venue?.Value;
                r.TCard[line] = e.Card?.Value;
                chain.AppendLine(line, e.OperationId, e.Kind, l.Asset.Value, l.Amount, l.From.Value, l.To.Value, e.Venue?.Value, e.Card?.Value, at);
                if (l.Amount != 0)
                {
                    AddDelta(deltas, l.From.Value, l.Asset.Value, -l.Amount);
                    AddDelta(deltas, l.To.Value, l.Asset.Value, l.Amount);
                }

                line++;
            }

            foreach (var seq in e.Sequences)
            {
                r.SWallet[s] = seq.Wallet.Value;
                r.SSeq[s] = seq.Seq;
                r.SOp[s] = e.OperationId;
                s++;
            }
        }

        r.Hash = chain.Finish();
        // One fixed order for balance rows, so that two writers lock shared rows (a venue's) in the same order.
        var keys = deltas.Keys.ToArray();
        System.Array.Sort(keys, static (a, b) => a.Wallet != b.Wallet ? a.Wallet.CompareTo(b.Wallet) : a.Asset.CompareTo(b.Asset));
        r.BWallet = new Guid[keys.Length];
        r.BAsset = new Guid[keys.Length];
        r.BDelta = new long[keys.Length];
        for (var k = 0; k < keys.Length; k++)
        {
            r.BWallet[k] = keys[k].Wallet;
            r.BAsset[k] = keys[k].Asset;
            r.BDelta[k] = deltas[keys[k]];
        }

        return r;
    }

    /// <summary>Writes the rows (after <paramref name="claim"/>, when given) in one round trip; returns the new balances.</summary>
    public static async Task<List<WalletAssetBalance>> ExecuteRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BatchRows r, LedgerWriterChain chain, Guid writerId, long height, NpgsqlBatchCommand? claim)
    {
        var balances = new List<WalletAssetBalance>(r.BWallet.Length);
        await using var write = new NpgsqlBatch(conn, tx);
        write.BatchCommands.Add(Command(KeyLookupsOnlySql));
        if (!chain.Registered)
        {
            write.BatchCommands.Add(Command(InsertWriterSql, Scalar(writerId), Scalar(Environment.MachineName), Scalar(Environment.ProcessId)));
        }

        if (claim is not null)
        {
            write.BatchCommands.Add(claim);
        }

        write.BatchCommands.Add(Command(InsertTransactionsSql,
            Scalar(writerId), Scalar(height), Array(NpgsqlDbType.Uuid, r.TOp), Array(NpgsqlDbType.Integer, r.TPos), Array(NpgsqlDbType.Smallint, r.TKind),
            Array(NpgsqlDbType.Uuid, r.TAsset), Array(NpgsqlDbType.Bigint, r.TAmount), Array(NpgsqlDbType.Uuid, r.TFrom), Array(NpgsqlDbType.Uuid, r.TTo),
            Array(NpgsqlDbType.Text, r.TVenue), Array(NpgsqlDbType.Text, r.TCard), Scalar(r.At)));
        if (r.SWallet.Length > 0)
        {
            write.BatchCommands.Add(Command(InsertSequencesSql, Array(NpgsqlDbType.Uuid, r.SWallet), Array(NpgsqlDbType.Bigint, r.SSeq), Array(NpgsqlDbType.Uuid, r.SOp)));
        }

        if (r.BWallet.Length > 0)
        {
            write.BatchCommands.Add(Command(UpsertBalancesSql, Array(NpgsqlDbType.Uuid, r.BWallet), Array(NpgsqlDbType.Uuid, r.BAsset), Array(NpgsqlDbType.Bigint, r.BDelta)));
        }

        if (r.Sales is { Count: > 0 } sales)
        {
            write.BatchCommands.Add(sales.InsertCommand(r.At));
            write.BatchCommands.Add(sales.InsertOperationsCommand(r.At));
        }

        write.BatchCommands.Add(Command(InsertLinkSql, Scalar(writerId), Scalar(height), Scalar(chain.Tip), Scalar(r.Hash), Scalar(r.Operations), Scalar(r.TOp.Length), Scalar(LedgerChain.CurrentVersion)));
        write.BatchCommands.Add(Command(UpsertHeadSql, Scalar(writerId), Scalar(height), Scalar(r.Hash)));
        await write.PrepareAsync();
        await using var reader = await write.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                if (reader.FieldCount == 3)
                {
                    balances.Add(new WalletAssetBalance(new WalletId(reader.GetGuid(0)), new AssetId(reader.GetGuid(1)), reader.GetInt64(2)));
                }
            }
        }
        while (await reader.NextResultAsync());

        return balances;
    }

    /// <summary>The operations' rows: inserted outright (<paramref name="optimistic"/>) or claimed, skipping used keys and returning the ids inserted.</summary>
    public static NpgsqlBatchCommand ClaimCommand(IReadOnlyList<Pending> batch, Guid writerId, long height, DateTime at, bool optimistic)
    {
        var n = batch.Count;
        var id = new Guid[n];
        var key = new string[n];
        var hash = new byte[n][];
        var kind = new short[n];
        var result = new byte[n][];
        var venue = new string?[n];
        var card = new string?[n];
        var extAmount = new long[n];
        var extMeans = new short[n];
        for (var i = 0; i < n; i++)
        {
            var e = batch[i].Entry;
            id[i] = e.OperationId;
            key[i] = e.Key.Value;
            hash[i] = e.RequestHash;
            kind[i] = (short)e.Kind;
            result[i] = e.Result;
            venue[i] = e.Venue?.Value;
            card[i] = e.Card?.Value;
            extAmount[i] = e.ExternalAmount;
            extMeans[i] = (short)e.ExternalMeans;
        }

        return Command(optimistic ? InsertOperationsSql : ClaimOperationsSql,
            Array(NpgsqlDbType.Uuid, id), Array(NpgsqlDbType.Text, key), Array(NpgsqlDbType.Bytea, hash), Array(NpgsqlDbType.Smallint, kind),
            Array(NpgsqlDbType.Bytea, result), Array(NpgsqlDbType.Text, venue), Array(NpgsqlDbType.Text, card), Array(NpgsqlDbType.Bigint, extAmount),
            Array(NpgsqlDbType.Smallint, extMeans), Scalar(writerId), Scalar(height), Scalar(at));
    }

    public static async Task<HashSet<Guid>> ClaimKeysAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Pending> batch, Guid writerId, long height, DateTime at)
    {
        await using var claim = new NpgsqlBatch(conn, tx) { BatchCommands = { ClaimCommand(batch, writerId, height, at, optimistic: false) } };
        var accepted = new HashSet<Guid>(batch.Count);
        await using var reader = await claim.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            accepted.Add(reader.GetGuid(0));
        }

        return accepted;
    }

    public static async Task<Dictionary<string, StoredOperation>> SelectExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Pending> batch, HashSet<Guid> accepted)
    {
        var keys = batch.Where(p => !accepted.Contains(p.Entry.OperationId)).Select(p => p.Entry.Key.Value).Distinct(StringComparer.Ordinal).ToArray();
        await using var cmd = new NpgsqlCommand(SelectExistingSql, conn, tx) { Parameters = { Array(NpgsqlDbType.Text, keys) } };
        var found = new Dictionary<string, StoredOperation>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = new StoredOperation(reader.GetGuid(1), (TransactionKind)reader.GetInt16(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4));
        }

        return found;
    }

    /// <summary>Each accepted waiter gets the committed balances of the wallets whose sequence numbers it claimed.</summary>
    public static LedgerCommit[] Outcomes(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, LedgerCommit[] outcomes, List<WalletAssetBalance> balances)
    {
        // By wallet, so a batch costs its size rather than its size times its balance rows.
        var byWallet = balances.ToLookup(b => b.Wallet);
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i].Entry;
            if (accepted is not null && !accepted.Contains(e.OperationId))
            {
                continue;
            }

            var mine = ImmutableArray.CreateBuilder<WalletAssetBalance>();
            for (var k = 0; k < e.Sequences.Length; k++)
            {
                var wallet = e.Sequences[k].Wallet;
                if (!AppearsBefore(e.Sequences, k, wallet))
                {
                    mine.AddRange(byWallet[wallet]);
                }
            }

            outcomes[i] = new LedgerCommit(LedgerCommitStatus.Committed, mine.ToImmutable());
        }

        return outcomes;
    }

    /// <summary>Whether <paramref name="wallet"/> was already named earlier in the entry, so its balances are given once.</summary>
    private static bool AppearsBefore(ImmutableArray<WalletSequence> sequences, int index, WalletId wallet)
    {
        for (var k = 0; k < index; k++)
        {
            if (sequences[k].Wallet == wallet)
            {
                return true;
            }
        }

        return false;
    }

    private static void AddDelta(Dictionary<(Guid Wallet, Guid Asset), long> deltas, Guid wallet, Guid asset, long delta)
    {
        deltas[(wallet, asset)] = deltas.TryGetValue((wallet, asset), out var current) ? checked(current + delta) : delta;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, T[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };

    private static NpgsqlParameter Scalar<T>(T value) => new NpgsqlParameter<T> { TypedValue = value };
}

/// <summary>Column arrays of one batch, in the order the statements take them.</summary>
internal sealed class BatchRows(int lines, int sequences)
{
    public Guid[] TOp { get; } = new Guid[lines];
    public int[] TPos { get; } = new int[lines];
    public short[] TKind { get; } = new short[lines];
    public Guid[] TAsset { get; } = new Guid[lines];
    public long[] TAmount { get; } = new long[lines];
    public Guid[] TFrom { get; } = new Guid[lines];
    public Guid[] TTo { get; } = new Guid[lines];
    public string?[] TVenue { get; } = new string?[lines];
    public string?[] TCard { get; } = new string?[lines];
    public Guid[] SWallet { get; } = new Guid[sequences];
    public long[] SSeq { get; } = new long[sequences];
    public Guid[] SOp { get; } = new Guid[sequences];
    public Guid[] BWallet { get; set; } = [];
    public Guid[] BAsset { get; set; } = [];
    public long[] BDelta { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public int Operations { get; init; }

    /// <summary>The batch's till sale lines, if any.</summary>
    public Till.SaleLineSql.Batch? Sales { get; set; }
    public DateTime At { get; init; }
    public int Lines => TOp.Length;
}


using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The per-silo group-commit writer (docs/architecture.md, money rules 2, 3, 4 and 6). Wallet grains submit operations; a single background
/// loop gathers what arrives within <see cref="LedgerWriterOptions.MaxWait"/> (up to <see cref="LedgerWriterOptions.MaxBatch"/>)
/// and writes it in ONE PostgreSQL transaction: the idempotency claims, the transaction rows, the per-wallet sequence
/// numbers, one aggregated balance delta per (wallet, asset) and one link of this writer's hash chain. Each waiter is
/// completed only after the commit. When a batch is refused by a constraint, its entries are retried one by one, so a bad
/// entry (a stale activation's sequence number, an overdraft the database refuses) never fails its batch-mates.
/// Not a grain: a DI singleton, so credits to hot venue and mint wallets travel as deltas and never through one activation.
/// </summary>
public sealed partial class LedgerWriter : IAsyncDisposable
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

    private const string SelectChainTipSql =
        "SELECT height, hash FROM ledger_chain WHERE writer_id = $1 ORDER BY height DESC LIMIT 1";

    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerWriterOptions _options;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _loop;

    // The loop's two connections, kept open: one commits a batch while the other writes the next. Taking a pooled
    // connection per batch rotated the batches over dozens of backends, each with cold caches and its own page faults on
    // shared buffers; two warm backends do the same work with less CPU. Touched only by the loop.
    private readonly NpgsqlConnection?[] _lanes = new NpgsqlConnection?[2];
    private int _lane;

    // Chain state, touched only by the loop.
    private long _height;
    private byte[] _tip = LedgerChain.Genesis;
    private bool _registered;
    private volatile bool _resync;

    private long _batches;
    private long _entries;
    private long _entriesAlone;
    private long _busyTicks;
    private long _claimTicks;
    private long _buildTicks;
    private long _writeTicks;
    private long _commitTicks;

    public LedgerWriter(NpgsqlDataSource dataSource, IOptions<LedgerWriterOptions> options, ILogger<LedgerWriter> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        if (_options.MaxBatch < 1 || _options.MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException("LedgerWriterOptions: MaxBatch must be at least 1 and MaxWait not negative.", nameof(options));
        }
    }

    /// <summary>This writer's chain id: one per instance, so a chain has exactly one writer and cannot fork.</summary>
    public Guid WriterId { get; } = Guid.CreateVersion7();

    /// <summary>Batches committed so far by this instance.</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batches);

    /// <summary>Entries committed so far by this instance.</summary>
    public long EntriesCommitted => Interlocked.Read(ref _entries);

    /// <summary>Entries written in a transaction of their own after their batch was refused (the slow path).</summary>
    public long EntriesWrittenAlone => Interlocked.Read(ref _entriesAlone);

    /// <summary>Where committed batches spent their time: claiming keys, building rows, writing rows, committing.</summary>
    public (TimeSpan Claim, TimeSpan Build, TimeSpan Write, TimeSpan Commit) Phases => (
        System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _claimTicks)),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _buildTicks)),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _writeTicks)),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks)));

    /// <summary>Time spent writing batches (from taking a batch to completing its waiters), for benchmarks and metrics.</summary>
    public TimeSpan BusyTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    /// <summary>
    /// Queues <paramref name="entry"/> and completes once its fate is durable: Committed, Duplicate (key already used;
    /// the first operation is returned), SequenceConflict or BalanceRefused (nothing written; reload and retry).
    /// Throws <see cref="LedgerUnavailableException"/> when the database failed or the outcome is unknown.
    /// No cancellation: once handed over, an operation runs to its end.
    /// </summary>
    public Task<LedgerCommit> SubmitAsync(LedgerEntry entry)
    {
        Validate(entry);
        EnsureStarted();
        var pending = new Pending(entry);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new LedgerUnavailableException("The ledger writer is stopped.");
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_startLock)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }

        await DropLanesAsync();
    }

    private static void Validate(LedgerEntry entry)
    {
        var externalOnly = entry.Lines is { IsDefault: false, IsEmpty: true } && entry.Till is not null && entry.ExternalAmount > 0 && entry.Venue is not null;
        if ((entry.Lines.IsDefaultOrEmpty && !externalOnly) || (entry.Till is not null && entry.Venue is null) || entry.RequestHash is null || entry.Result is null || entry.Sequences.IsDefault)
        {
            throw new ArgumentException("A ledger entry needs lines, a request hash, a result and sequences.", nameof(entry));
        }

        foreach (var line in entry.Lines)
        {
            if (line.Amount < 0 || (line.Amount == 0 && entry.Kind != TransactionKind.Badge) || line.From == line.To)
            {
                throw new ArgumentException("A ledger line moves a positive amount between two different wallets.", nameof(entry));
            }
        }
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            // The loop is plain .NET work on the thread pool: it never touches grain state.
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        // Pipelining: batch N+1's rows are written while batch N's COMMIT (the fsync) is in flight. N+1 commits only after
        // N committed, so links commit in chain order; if N's commit fails, N+1 is rolled back and written again.
        Task<bool>? inFlight = null;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Pending>(Math.Min(_options.MaxBatch, 64));
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var p))
            {
                batch.Add(p);
            }

            if (batch.Count < _options.MaxBatch && _options.MaxWait > TimeSpan.Zero && inFlight is null)
            {
                // Only worth waiting when nothing is committing: otherwise the commit in flight is the gathering window.
                await GatherAsync(reader, batch);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (inFlight is not null && (_resync || batch.Count < _options.PipelineMinBatch))
                {
                    // A small batch grows while the commit in flight finishes: each batch costs the database a fixed
                    // amount of work, and at moderate load that cost, not the rows, is what queues the next sales.
                    // (A failed commit sets _resync; PrepareAsync then re-reads the chain tip.)
                    await inFlight;
                    inFlight = null;
                    while (batch.Count < _options.MaxBatch && reader.TryRead(out var more))
                    {
                        batch.Add(more);
                    }
                }

                Prepared? prepared = null;
                Exception? failure = null;
                try
                {
                    prepared = await PrepareAsync(batch);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                if (inFlight is not null)
                {
                    var previousCommitted = await inFlight;
                    inFlight = null;
                    if (!previousCommitted)
                    {
                        // Our link followed one whose commit failed: undo ours and write the batch again from the database's chain tip.
                        if (prepared is not null)
                        {
                            await prepared.DisposeAsync();
                        }

                        await CommitBatchAsync(batch, optimistic: true);
                        Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
                        continue;
                    }
                }

                if (prepared is not null)
                {
                    inFlight = CommitPreparedAsync(prepared, started);
                }
                else if (failure is null)
                {
                    // Some key was already used: the two-step path sorts duplicates out.
                    await CommitBatchAsync(batch, optimistic: false);
                    Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
                }
                else
                {
                    await HandleFailureAsync(batch, failure);
                    Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
                }
            }
            catch (Exception ex)
            {
                // Never let the loop die: every waiter still pending learns the outcome is unknown.
                LogLoopFault(_logger, ex, batch.Count);
                _resync = true;
                foreach (var p in batch)
                {
                    p.Completion.TrySetException(new LedgerUnavailableException("The ledger failed; retry with the same key.", ex));
                }
            }
        }

        if (inFlight is not null)
        {
            await inFlight;
        }
    }

    /// <summary>
    /// Writes a batch optimistically (every key new) in one round trip and leaves its transaction open. Returns null when
    /// some key was already used (the transaction is rolled back). Advances the chain tip tentatively.
    /// </summary>
    private async Task<Prepared?> PrepareAsync(List<Pending> batch)
    {
        if (_resync)
        {
            await ResyncAsync();
        }

        var height = _height + 1;
        // One time for the batch's rows, chosen here so that the chain hashes what is stored.
        var at = LedgerChain.StoredTime(DateTime.UtcNow);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var conn = await TakeLaneAsync();
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await conn.BeginTransactionAsync();
            var rows = BuildRows(batch, null, height, at);
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            List<WalletAssetBalance> balances;
            try
            {
                balances = await ExecuteRowsAsync(conn, tx, rows, height, ClaimCommand(batch, height, at, optimistic: true));
            }
            catch (PostgresException ex) when (IsUsedKey(ex))
            {
                await tx.DisposeAsync();
                return null;
            }

            Interlocked.Add(ref _claimTicks, t1 - t0);
            Interlocked.Add(ref _writeTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t1);
            _height = height;
            _tip = rows.Hash;
            _registered = true;
            return new Prepared(tx, batch, rows, balances, height);
        }
        catch
        {
            if (tx is not null)
            {
                await tx.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Closes both connections; only when nothing is committing.</summary>
    private async Task DropLanesAsync()
    {
        for (var i = 0; i < _lanes.Length; i++)
        {
            if (_lanes[i] is { } conn)
            {
                _lanes[i] = null;
                await conn.DisposeAsync();
            }
        }
    }

    /// <summary>The loop's other connection (the one not committing), opened again if it was closed or broken.</summary>
    private async Task<NpgsqlConnection> TakeLaneAsync()
    {
        _lane ^= 1;
        if (_lanes[_lane] is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        if (_lanes[_lane] is { } broken)
        {
            await broken.DisposeAsync();
        }

        _lanes[_lane] = null;
        var conn = await _dataSource.OpenConnectionAsync();
        _lanes[_lane] = conn;
        return conn;
    }

    /// <summary>Commits a prepared batch and completes its waiters. False when the commit failed (its waiters learn so).</summary>
    private async Task<bool> CommitPreparedAsync(Prepared prepared, long started)
    {
        await using (prepared)
        {
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await CommitAsync(prepared.Transaction);
            }
            catch (Exception ex)
            {
                // The outcome is unknown: the chain tip is re-read and callers reload; clients retry with the same key.
                _resync = true;
                LogBatchUnavailable(_logger, ex, prepared.Batch.Count);
                foreach (var p in prepared.Batch)
                {
                    p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", ex));
                }

                return false;
            }

            Interlocked.Add(ref _commitTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
            var outcomes = Outcomes(prepared.Batch, null, new LedgerCommit[prepared.Batch.Count], prepared.Rows, prepared.Balances, prepared.Height);
            for (var i = 0; i < outcomes.Length; i++)
            {
                prepared.Batch[i].Completion.TrySetResult(outcomes[i]);
            }

            Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            return true;
        }
    }

    private async Task HandleFailureAsync(List<Pending> batch, Exception failure)
    {
        if (IsStaleTip(failure))
        {
            _resync = true;
            await CommitBatchAsync(batch, optimistic: true);
        }
        else if (IsEntryFault(failure) && batch.Count > 1)
        {
            LogIsolating(_logger, batch.Count, (failure as PostgresException)?.ConstraintName ?? failure.GetType().Name);
            foreach (var p in batch)
            {
                await CommitAloneAsync(p);
            }
        }
        else if (IsEntryFault(failure))
        {
            await CommitAloneAsync(batch[0]);
        }
        else if (_lanes[_lane] is not { State: System.Data.ConnectionState.Open })
        {
            // The connection died while the batch was being written (server restart, failover, a killed backend). Nothing
            // was committed, since COMMIT was never sent: write the batch once more on a fresh connection.
            // Idle pooled connections to that server are likely dead too: start from fresh ones.
            LogLaneLost(_logger, failure, batch.Count);
            await DropLanesAsync();
            _dataSource.Clear();
            _resync = true;
            await CommitBatchAsync(batch, optimistic: true);
        }
        else
        {
            _resync = true;
            LogBatchUnavailable(_logger, failure, batch.Count);
            foreach (var p in batch)
            {
                p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", failure));
            }
        }
    }

    /// <summary>A batch written in an open transaction, waiting for its turn to commit.</summary>
    private sealed class Prepared(NpgsqlTransaction transaction, List<Pending> batch, Rows rows, List<WalletAssetBalance> balances, long height) : IAsyncDisposable
    {
        public NpgsqlTransaction Transaction { get; } = transaction;

        public List<Pending> Batch { get; } = batch;

        public Rows Rows { get; } = rows;

        public List<WalletAssetBalance> Balances { get; } = balances;

        public long Height { get; } = height;

        // The connection stays with the loop: a failed commit leaves it broken, and the next TakeLaneAsync replaces it.
        public ValueTask DisposeAsync() => Transaction.DisposeAsync();
    }

    private async Task GatherAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        using var window = new CancellationTokenSource(_options.MaxWait);
        try
        {
            while (batch.Count < _options.MaxBatch && await reader.WaitToReadAsync(window.Token))
            {
                while (batch.Count < _options.MaxBatch && reader.TryRead(out var p))
                {
                    batch.Add(p);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The window closed: commit what we have.
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch, bool optimistic)
    {
        LedgerCommit[] outcomes;
        try
        {
            try
            {
                outcomes = await WriteAsync(batch, optimistic);
            }
            catch (Exception ex) when (IsStaleTip(ex))
            {
                _resync = true;
                outcomes = await WriteAsync(batch, optimistic);
            }
        }
        catch (Exception ex) when (IsEntryFault(ex) && batch.Count > 1)
        {
            // Some entry is refused by a constraint. Find which by writing each alone; the others still commit.
            LogIsolating(_logger, batch.Count, (ex as PostgresException)?.ConstraintName ?? ex.GetType().Name);
            foreach (var p in batch)
            {
                await CommitAloneAsync(p);
            }

            return;
        }
        catch (Exception ex) when (IsEntryFault(ex))
        {
            Complete(batch[0], ex);
            return;
        }
        catch (Exception ex)
        {
            // Connection loss or a failed COMMIT: the outcome may be unknown. Callers reload and clients retry with the key.
            _resync = true;
            LogBatchUnavailable(_logger, ex, batch.Count);
            foreach (var p in batch)
            {
                p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", ex));
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    private async Task CommitAloneAsync(Pending p)
    {
        Interlocked.Increment(ref _entriesAlone);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await WriteAsync([p], optimistic: false);
                p.Completion.TrySetResult(outcome[0]);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // Lost a lock race with another writer: nothing was written, try again.
            }
            catch (Exception ex) when (IsStaleTip(ex) && attempt < 3)
            {
                _resync = true;
            }
            catch (Exception ex) when (IsEntryFault(ex))
            {
                Complete(p, ex);
                return;
            }
            catch (Exception ex)
            {
                _resync = true;
                p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", ex));
                return;
            }
        }
    }

    private void Complete(Pending p, Exception ex)
    {
        var status = ex switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ledger_wallet_sequence_pkey" } => LedgerCommitStatus.SequenceConflict,
            PostgresException { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: "ledger_balances_non_negative" } => LedgerCommitStatus.BalanceRefused,
            _ => (LedgerCommitStatus?)null,
        };
        if (status is { } s)
        {
            LogEntryRefused(_logger, p.Entry.OperationId, s);
            p.Completion.TrySetResult(new LedgerCommit(s, []));
        }
        else if (ex is OverflowException or PostgresException { SqlState: PostgresErrorCodes.NumericValueOutOfRange })
        {
            p.Completion.TrySetException(new DomainException(ErrorCodes.BadUserInput, "The amount would overflow a balance."));
        }
        else
        {
            LogEntryFault(_logger, ex, p.Entry.OperationId);
            p.Completion.TrySetException(new LedgerUnavailableException("The ledger refused the operation.", ex));
        }
    }

    private static bool IsEntryFault(Exception ex) => ex switch
    {
        _ when IsStaleTip(ex) => false,
        OverflowException => true,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation
            or PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.StringDataRightTruncation,
        _ => false,
    };

    private async Task<LedgerCommit[]> WriteAsync(IReadOnlyList<Pending> batch, bool optimistic = true)
    {
        if (_resync)
        {
            await ResyncAsync();
        }

        var n = batch.Count;
        var outcomes = new LedgerCommit[n];
        var height = _height + 1;
        // One time for the batch's rows, chosen here so that the chain hashes what is stored.
        var at = LedgerChain.StoredTime(DateTime.UtcNow);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var conn = await TakeLaneAsync();
        HashSet<Guid>? accepted = null;
        if (optimistic)
        {
            // The common case: every key is new. Claims, rows, deltas and link travel in one round trip; if some key turns
            // out to be used already, roll back and take the two-step path below.
            await using var tx = await conn.BeginTransactionAsync();
            var rows = BuildRows(batch, null, height, at);
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            List<WalletAssetBalance>? balances = null;
            try
            {
                balances = await ExecuteRowsAsync(conn, tx, rows, height, ClaimCommand(batch, height, at, optimistic: true));
            }
            catch (PostgresException ex) when (IsUsedKey(ex))
            {
                await tx.RollbackAsync();
            }

            if (balances is not null)
            {
                var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
                await CommitAsync(tx);
                Account(t0, t1, t2, System.Diagnostics.Stopwatch.GetTimestamp());
                return Finish(batch, null, outcomes, rows, balances, height);
            }
        }

        await using (var tx = await conn.BeginTransactionAsync())
        {
            // 1. Claim the keys. A key already claimed (earlier, or by a batch-mate) is a duplicate: nothing of it is written.
            accepted = await ClaimKeysAsync(conn, tx, batch, height, at);
            Dictionary<string, StoredOperation>? existing = null;
            for (var i = 0; i < n; i++)
            {
                if (accepted.Contains(batch[i].Entry.OperationId))
                {
                    continue;
                }

                existing ??= await SelectExistingAsync(conn, tx, batch, accepted);
                if (!existing.TryGetValue(batch[i].Entry.Key.Value, out var first))
                {
                    throw new InvalidOperationException("An operation was neither inserted nor found by its key.");
                }

                outcomes[i] = first.OperationId == batch[i].Entry.OperationId
                    ? LedgerCommit.CommittedWithoutBalances
                    : new LedgerCommit(LedgerCommitStatus.Duplicate, [], first);
            }

            if (accepted.Count == 0)
            {
                await tx.RollbackAsync();
                return outcomes;
            }

            // 2. Rows, sequences, aggregated deltas and the chain link of the accepted entries, in one round trip.
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            var rows = BuildRows(batch, accepted, height, at);
            var balances = await ExecuteRowsAsync(conn, tx, rows, height, null);
            var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            await CommitAsync(tx);
            Account(t0, t1, t2, System.Diagnostics.Stopwatch.GetTimestamp());
            return Finish(batch, accepted, outcomes, rows, balances, height);
        }
    }

    /// <summary>Tests only: runs after each successful COMMIT; when it throws, the writer takes the outcome as unknown.</summary>
    internal Func<Task>? AfterCommitForTests { get; set; }

    private async Task CommitAsync(NpgsqlTransaction tx)
    {
        await tx.CommitAsync();
        if (AfterCommitForTests is { } hook)
        {
            await hook();
        }
    }

    private void Account(long t0, long t1, long t2, long t3)
    {
        Interlocked.Add(ref _claimTicks, t1 - t0);
        Interlocked.Add(ref _writeTicks, t2 - t1);
        Interlocked.Add(ref _commitTicks, t3 - t2);
    }

    /// <summary>Non-pipelined path: the chain moves on only after the commit, then each waiter gets its outcome.</summary>
    private LedgerCommit[] Finish(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, LedgerCommit[] outcomes, Rows rows, List<WalletAssetBalance> balances, long height)
    {
        _height = height;
        _tip = rows.Hash;
        _registered = true;
        return Outcomes(batch, accepted, outcomes, rows, balances, height);
    }

    /// <summary>Each accepted waiter gets the committed balances of the wallets whose sequence numbers it claimed.</summary>
    private LedgerCommit[] Outcomes(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, LedgerCommit[] outcomes, Rows rows, List<WalletAssetBalance> balances, long height)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _entries, rows.Operations);
        LogBatchCommitted(_logger, WriterId, height, rows.Operations, rows.Lines);

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

    /// <summary>The rows of a batch (all entries, or only <paramref name="accepted"/> ones) and its chain link hash.</summary>
    private Rows BuildRows(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, long height, DateTime at)
    {
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
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

        var r = new Rows(lineCount, seqCount) { Operations = operations, At = at };
        var deltas = new Dictionary<(Guid Wallet, Guid Asset), long>(lineCount * 2);
        using var chain = new LedgerChain(_tip, WriterId, height);
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
                r.Sales.Add(e.OperationId, e.Venue!.Value, e.Till);
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

        Interlocked.Add(ref _buildTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
        return r;
    }

    /// <summary>Writes the rows (after <paramref name="claim"/>, when given) in one round trip; returns the new balances.</summary>
    private async Task<List<WalletAssetBalance>> ExecuteRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Rows r, long height, NpgsqlBatchCommand? claim)
    {
        var balances = new List<WalletAssetBalance>(r.BWallet.Length);
        await using var write = new NpgsqlBatch(conn, tx);
        write.BatchCommands.Add(Command(KeyLookupsOnlySql));
        if (!_registered)
        {
            write.BatchCommands.Add(Command(InsertWriterSql, Scalar(WriterId), Scalar(Environment.MachineName), Scalar(Environment.ProcessId)));
        }

        if (claim is not null)
        {
            write.BatchCommands.Add(claim);
        }

        write.BatchCommands.Add(Command(InsertTransactionsSql,
            Scalar(WriterId), Scalar(height), Array(NpgsqlDbType.Uuid, r.TOp), Array(NpgsqlDbType.Integer, r.TPos), Array(NpgsqlDbType.Smallint, r.TKind),
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
        }

        write.BatchCommands.Add(Command(InsertLinkSql, Scalar(WriterId), Scalar(height), Scalar(_tip), Scalar(r.Hash), Scalar(r.Operations), Scalar(r.TOp.Length), Scalar(LedgerChain.CurrentVersion)));
        write.BatchCommands.Add(Command(UpsertHeadSql, Scalar(WriterId), Scalar(height), Scalar(r.Hash)));
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

    /// <summary>
    /// This writer's link already exists at the height it wrote: its tip is behind the database (a COMMIT whose answer
    /// was lost landed after the tip was re-read). Not a fault of any entry: re-read the tip and write the batch again.
    /// </summary>
    private static bool IsStaleTip(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ledger_chain_pkey" };

    /// <summary>A used key is a duplicate to sort out on the two-step path, not a fault of the batch.</summary>
    private static bool IsUsedKey(PostgresException ex) =>
        ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ledger_operations_idempotency_key_key" or "ledger_operations_pkey" };

    /// <summary>The operations' rows: inserted outright (<paramref name="optimistic"/>) or claimed, skipping used keys and returning the ids inserted.</summary>
    private NpgsqlBatchCommand ClaimCommand(IReadOnlyList<Pending> batch, long height, DateTime at, bool optimistic)
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
            Array(NpgsqlDbType.Smallint, extMeans), Scalar(WriterId), Scalar(height), Scalar(at));
    }

    private async Task<HashSet<Guid>> ClaimKeysAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Pending> batch, long height, DateTime at)
    {
        await using var claim = new NpgsqlBatch(conn, tx) { BatchCommands = { ClaimCommand(batch, height, at, optimistic: false) } };
        var accepted = new HashSet<Guid>(batch.Count);
        await using var reader = await claim.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            accepted.Add(reader.GetGuid(0));
        }

        return accepted;
    }

    /// <summary>Column arrays of one batch.</summary>
    private sealed class Rows(int lines, int sequences)
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

    private static async Task<Dictionary<string, StoredOperation>> SelectExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Pending> batch, HashSet<Guid> accepted)
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

    private async Task ResyncAsync()
    {
        // Cleared first: a commit failing while the tip is read sets it again and is not forgotten.
        _resync = false;
        await using var cmd = _dataSource.CreateCommand(SelectChainTipSql);
        cmd.Parameters.Add(Scalar(WriterId));
        await using var reader = await cmd.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            _height = reader.GetInt64(0);
            _tip = reader.GetFieldValue<byte[]>(1);
            _registered = true;
        }
        else
        {
            _height = 0;
            _tip = LedgerChain.Genesis;
        }
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

    private sealed class Pending(LedgerEntry entry)
    {
        public LedgerEntry Entry { get; } = entry;

        public TaskCompletionSource<LedgerCommit> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ledger writer {WriterId} committed link {Height}: {Operations} operations, {Lines} lines")]
    private static partial void LogBatchCommitted(ILogger logger, Guid writerId, long height, int operations, int lines);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger batch of {Count} refused by {Constraint}; committing its entries one by one")]
    private static partial void LogIsolating(ILogger logger, int count, string constraint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger refused operation {OperationId}: {Status}")]
    private static partial void LogEntryRefused(ILogger logger, Guid operationId, LedgerCommitStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger refused operation {OperationId}")]
    private static partial void LogEntryFault(ILogger logger, Exception exception, Guid operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger batch of {Count} failed; outcome reported as unavailable")]
    private static partial void LogBatchUnavailable(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger connection lost while writing a batch of {Count}; writing it again on a new connection")]
    private static partial void LogLaneLost(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger writer loop fault on a batch of {Count}")]
    private static partial void LogLoopFault(ILogger logger, Exception exception, int count);
}

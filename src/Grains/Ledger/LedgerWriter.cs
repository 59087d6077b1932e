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
    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerWriterOptions _options;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private readonly LedgerLanes _lanes;
    private readonly LedgerWriterChain _chain;
    private readonly LedgerWriterMetrics _metrics;
    private Task? _loop;

    public LedgerWriter(NpgsqlDataSource dataSource, IOptions<LedgerWriterOptions> options, ILogger<LedgerWriter> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        if (_options.MaxBatch < 1 || _options.MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException("LedgerWriterOptions: MaxBatch must be at least 1 and MaxWait not negative.", nameof(options));
        }

        _lanes = new LedgerLanes(dataSource);
        _chain = new LedgerWriterChain(dataSource, WriterId);
        _metrics = new LedgerWriterMetrics(WriterId);
    }

    /// <summary>This writer's chain id: one per instance, so a chain has exactly one writer and cannot fork.</summary>
    public Guid WriterId { get; } = Guid.CreateVersion7();

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

        await _lanes.DropAsync();
        _metrics.Dispose();
    }

    private static void Validate(LedgerEntry entry)
    {
        if (entry.Lines.IsDefaultOrEmpty || entry.RequestHash is null || entry.Result is null || entry.Sequences.IsDefault)
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
                if (inFlight is not null && (_chain.Resync || batch.Count < _options.PipelineMinBatch))
                {
                    // A small batch grows while the commit in flight finishes: each batch costs the database a fixed
                    // amount of work, and at moderate load that cost, not the rows, is what queues the next sales.
                    // (A failed commit sets the chain's Resync flag; PrepareAsync then re-reads the tip.)
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
                        _metrics.Busy(started);
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
                    _metrics.Busy(started);
                }
                else
                {
                    await HandleFailureAsync(batch, failure);
                    _metrics.Busy(started);
                }
            }
            catch (Exception ex)
            {
                // Never let the loop die: every waiter still pending learns the outcome is unknown.
                LogLoopFault(_logger, ex, batch.Count);
                _chain.Resync = true;
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

    /// <summary>The rows of a batch, timed as its build phase.</summary>
    private BatchRows BuildRows(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, long height, DateTime at)
    {
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = LedgerBatch.BuildRows(batch, accepted, WriterId, _chain.Tip, height, at);
        _metrics.Build(t0, System.Diagnostics.Stopwatch.GetTimestamp());
        return rows;
    }

    private void Account(long t0, long t1, long t2)
    {
        _metrics.Claim(t0, t1);
        _metrics.Write(t1, t2);
        _metrics.Commit(t2, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>Counts a committed batch and gives each accepted waiter its outcome.</summary>
    private LedgerCommit[] Committed(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, LedgerCommit[] outcomes, BatchRows rows, List<WalletAssetBalance> balances, long height)
    {
        _metrics.BatchCommitted(rows.Operations);
        LogBatchCommitted(_logger, WriterId, height, rows.Operations, rows.Lines);
        return LedgerBatch.Outcomes(batch, accepted, outcomes, balances);
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

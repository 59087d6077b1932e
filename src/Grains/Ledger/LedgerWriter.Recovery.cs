using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The writer's slower paths: a batch whose keys were partly used (claimed first, then written), a batch refused by a
/// constraint (each entry written alone, so one bad entry never fails the others), a lost connection or commit.
/// </summary>
public sealed partial class LedgerWriter
{
    private async Task HandleFailureAsync(List<Pending> batch, Exception failure)
    {
        if (IsStaleTip(failure))
        {
            _chain.Resync = true;
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
        else if (!_lanes.CurrentIsOpen)
        {
            // The connection died while the batch was being written (server restart, failover, a killed backend). Nothing
            // was committed, since COMMIT was never sent: write the batch once more on a fresh connection.
            // Idle pooled connections to that server are likely dead too: start from fresh ones.
            LogLaneLost(_logger, failure, batch.Count);
            await _lanes.DropAsync();
            _dataSource.Clear();
            _chain.Resync = true;
            await CommitBatchAsync(batch, optimistic: true);
        }
        else
        {
            _chain.Resync = true;
            LogBatchUnavailable(_logger, failure, batch.Count);
            foreach (var p in batch)
            {
                p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", failure));
            }
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
                _chain.Resync = true;
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
            _chain.Resync = true;
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
        _metrics.WrittenAlone();
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
                _chain.Resync = true;
            }
            catch (Exception ex) when (IsEntryFault(ex))
            {
                Complete(p, ex);
                return;
            }
            catch (Exception ex)
            {
                _chain.Resync = true;
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
        await _chain.EnsureCurrentAsync();
        var n = batch.Count;
        var outcomes = new LedgerCommit[n];
        var height = _chain.Height + 1;
        // One time for the batch's rows, chosen here so that the chain hashes what is stored.
        var at = LedgerChain.StoredTime(DateTime.UtcNow);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var conn = await _lanes.TakeAsync();
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
                balances = await LedgerBatch.ExecuteRowsAsync(conn, tx, rows, _chain, WriterId, height, LedgerBatch.ClaimCommand(batch, WriterId, height, at, optimistic: true));
            }
            catch (PostgresException ex) when (IsUsedKey(ex))
            {
                await tx.RollbackAsync();
            }

            if (balances is not null)
            {
                var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
                await CommitAsync(tx);
                Account(t0, t1, t2);
                return Finish(batch, null, outcomes, rows, balances, height);
            }
        }

        await using (var tx = await conn.BeginTransactionAsync())
        {
            // 1. Claim the keys. A key already claimed (earlier, or by a batch-mate) is a duplicate: nothing of it is written.
            accepted = await LedgerBatch.ClaimKeysAsync(conn, tx, batch, WriterId, height, at);
            Dictionary<string, StoredOperation>? existing = null;
            for (var i = 0; i < n; i++)
            {
                if (accepted.Contains(batch[i].Entry.OperationId))
                {
                    continue;
                }

                existing ??= await LedgerBatch.SelectExistingAsync(conn, tx, batch, accepted);
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
            var balances = await LedgerBatch.ExecuteRowsAsync(conn, tx, rows, _chain, WriterId, height, null);
            var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            await CommitAsync(tx);
            Account(t0, t1, t2);
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

    /// <summary>Non-pipelined path: the chain moves on only after the commit, then each waiter gets its outcome.</summary>
    private LedgerCommit[] Finish(IReadOnlyList<Pending> batch, HashSet<Guid>? accepted, LedgerCommit[] outcomes, BatchRows rows, List<WalletAssetBalance> balances, long height)
    {
        _chain.Advance(height, rows.Hash);
        return Committed(batch, accepted, outcomes, rows, balances, height);
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

}

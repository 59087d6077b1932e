using Npgsql;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The writer's fast path, pipelined: a batch is written in an open transaction (<see cref="PrepareAsync"/>) while the
/// previous one commits, then committed in chain order (<see cref="CommitPreparedAsync"/>).
/// </summary>
public sealed partial class LedgerWriter
{
    /// <summary>
    /// Writes a batch optimistically (every key new) in one round trip and leaves its transaction open. Returns null when
    /// some key was already used (the transaction is rolled back). Advances the chain tip tentatively.
    /// </summary>
    private async Task<Prepared?> PrepareAsync(List<Pending> batch)
    {
        await _chain.EnsureCurrentAsync();
        var height = _chain.Height + 1;
        // One time for the batch's rows, chosen here so that the chain hashes what is stored.
        var at = LedgerChain.StoredTime(DateTime.UtcNow);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var conn = await _lanes.TakeAsync();
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await conn.BeginTransactionAsync();
            var rows = BuildRows(batch, null, height, at);
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            List<WalletAssetBalance> balances;
            try
            {
                balances = await LedgerBatch.ExecuteRowsAsync(conn, tx, rows, _chain, WriterId, height, LedgerBatch.ClaimCommand(batch, WriterId, height, at, optimistic: true));
            }
            catch (PostgresException ex) when (IsUsedKey(ex))
            {
                await tx.DisposeAsync();
                return null;
            }

            _metrics.Claim(t0, t1);
            _metrics.Write(t1, System.Diagnostics.Stopwatch.GetTimestamp());
            _chain.Advance(height, rows.Hash);
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
                _chain.Resync = true;
                LogBatchUnavailable(_logger, ex, prepared.Batch.Count);
                foreach (var p in prepared.Batch)
                {
                    p.Completion.TrySetException(new LedgerUnavailableException("The ledger is unavailable; retry with the same key.", ex));
                }

                return false;
            }

            _metrics.Commit(t0, System.Diagnostics.Stopwatch.GetTimestamp());
            var outcomes = Committed(prepared.Batch, null, new LedgerCommit[prepared.Batch.Count], prepared.Rows, prepared.Balances, prepared.Height);
            for (var i = 0; i < outcomes.Length; i++)
            {
                prepared.Batch[i].Completion.TrySetResult(outcomes[i]);
            }

            _metrics.Busy(started);
            return true;
        }
    }

    /// <summary>A batch written in an open transaction, waiting for its turn to commit.</summary>
    private sealed class Prepared(NpgsqlTransaction transaction, List<Pending> batch, BatchRows rows, List<WalletAssetBalance> balances, long height) : IAsyncDisposable
    {
        public NpgsqlTransaction Transaction { get; } = transaction;

        public List<Pending> Batch { get; } = batch;

        public BatchRows Rows { get; } = rows;

        public List<WalletAssetBalance> Balances { get; } = balances;

        public long Height { get; } = height;

        // The connection stays with the loop: a failed commit leaves it broken, and the next TakeLaneAsync replaces it.
        public ValueTask DisposeAsync() => Transaction.DisposeAsync();
    }
}

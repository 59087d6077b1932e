using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Reservations;

/// <summary>
/// Group commit for reservations, as the ledger writer does for money: event grains hand it the statements of one change
/// (a hold, a confirmation with its tickets, a cancellation) and wait; it commits the changes waiting together in one
/// PostgreSQL transaction and answers each once that COMMIT is done, so an event grain acknowledges only what is
/// durable, and one hot event still makes thousands of changes a second. If a batch fails, its changes are retried
/// one by one, so one change's failure never fails the others.
/// </summary>
public sealed partial class ReservationWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int Lanes = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<ReservationWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _lanes;

    public ReservationWriter(NpgsqlDataSource dataSource, ILogger<ReservationWriter> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _lanes = [.. Enumerable.Range(0, Lanes).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>
    /// Commits the statements of one change together and returns each statement's affected row count. UNAVAILABLE when the
    /// database failed: nothing of the change was written.
    /// </summary>
    public Task<int[]> WriteAsync(params Func<NpgsqlBatchCommand>[] statements)
    {
        var pending = new Pending(statements, new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new DomainException(ErrorCodes.Unavailable, "The reservation store is shutting down; retry with the same key.");
        }

        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var counts = await CommitAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(counts[i]);
                }
            }
            catch (Exception ex) when (batch.Count > 1 && ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogBatchRetried(_logger, batch.Count, ex);
                foreach (var one in batch)
                {
                    await CommitAloneAsync(one);
                }
            }
            catch (Exception ex)
            {
                Fail(batch[0], ex);
            }
        }
    }

    private async Task CommitAloneAsync(Pending one)
    {
        try
        {
            one.Completion.TrySetResult((await CommitAsync([one]))[0]);
        }
        catch (Exception ex)
        {
            Fail(one, ex);
        }
    }

    private void Fail(Pending one, Exception ex)
    {
        LogWriteFailed(_logger, ex);
        one.Completion.TrySetException(new DomainException(ErrorCodes.Unavailable, "The reservation could not be stored; retry with the same key."));
    }

    private async Task<int[][]> CommitAsync(List<Pending> items)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var item in items)
        {
            foreach (var statement in item.Statements)
            {
                batch.BatchCommands.Add(statement());
            }
        }

        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        var counts = new int[items.Count][];
        var at = 0;
        for (var i = 0; i < items.Count; i++)
        {
            counts[i] = new int[items[i].Statements.Length];
            for (var j = 0; j < counts[i].Length; j++)
            {
                counts[i][j] = batch.BatchCommands[at++].RecordsAffected;
            }
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_lanes);
    }

    private sealed record Pending(Func<NpgsqlBatchCommand>[] Statements, TaskCompletionSource<int[]> Completion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reservation batch of {Count} failed; its changes are written one by one")]
    private static partial void LogBatchRetried(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A reservation change could not be written")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}

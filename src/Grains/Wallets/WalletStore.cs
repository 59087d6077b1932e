using System.Threading.Channels;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>What a wallet grain loads: its kind (null if unknown), committed balances, last sequence number, and optionally a stored operation.</summary>
public sealed record WalletSnapshot(WalletKind? Kind, Dictionary<AssetId, long> Balances, long Sequence, StoredOperation? Operation);

/// <summary>
/// The wallet grain's reads. Plain loads (activation, reload after a refused write) are gathered: whatever arrives while
/// one query runs is read by the next one, so a thousand wallets activating at once (a silo restart during a festival)
/// cost a few queries instead of a thousand. A load with an idempotency key is its own round trip.
/// </summary>
public sealed class WalletStore(NpgsqlDataSource dataSource) : IUsedKeys, IDisposable
{
    /// <summary>Most wallets read by one gathered query.</summary>
    public const int MaxLoadBatch = 256;

    private const string LoadWalletsSql =
        """
        SELECT x.ord, w.kind, (SELECT coalesce(max(s.seq), 0) FROM ledger_wallet_sequence s WHERE s.wallet_id = x.id), b.asset_id, b.balance
        FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)
        LEFT JOIN ledger_wallets w ON w.wallet_id = x.id
        LEFT JOIN ledger_balances b ON b.wallet_id = x.id
        """;

    private readonly Channel<PendingLoad> _loads = Channel.CreateUnbounded<PendingLoad>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _loop;

    /// <summary>Loads the wallet and, when <paramref name="key"/> is given, the operation stored under that key.</summary>
    public Task<WalletSnapshot> LoadAsync(WalletId wallet, IdempotencyKey? key, CancellationToken cancellationToken = default) =>
        key is { } k ? LoadWithOperationAsync(wallet, k, cancellationToken) : LoadGatheredAsync(wallet, cancellationToken);

    public void Dispose() => _loads.Writer.TryComplete();

    private async Task<WalletSnapshot> LoadGatheredAsync(WalletId wallet, CancellationToken cancellationToken)
    {
        var pending = new PendingLoad(wallet, new TaskCompletionSource<WalletSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_loads.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(WalletStore));
        }

        if (_loop is null)
        {
            lock (_startLock)
            {
                _loop ??= Task.Run(RunLoadsAsync);
            }
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunLoadsAsync()
    {
        var reader = _loads.Reader;
        var batch = new List<PendingLoad>(16);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxLoadBatch && reader.TryRead(out var p))
            {
                batch.Add(p);
            }

            try
            {
                var snapshots = await ReadWalletsAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(snapshots[i]);
                }
            }
            catch (Exception ex)
            {
                // Each caller sees the failure as its own read failing (the grain's call fails; the client retries).
                foreach (var p in batch)
                {
                    p.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task<WalletSnapshot[]> ReadWalletsAsync(List<PendingLoad> batch)
    {
        var ids = new Guid[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            ids[i] = batch[i].Wallet.Value;
        }

        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlBatch(conn) { BatchCommands = { WalletsCommand(ids) } };
        await using var reader = await cmd.ExecuteReaderAsync();
        return await ReadSnapshotsAsync(reader, ids.Length, CancellationToken.None);
    }

    private async Task<WalletSnapshot> LoadWithOperationAsync(WalletId wallet, IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                WalletsCommand([wallet.Value]),
                new NpgsqlBatchCommand("SELECT operation_id, kind, request_hash, result FROM ledger_operations WHERE idempotency_key = $1")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = key.Value } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var snapshot = (await ReadSnapshotsAsync(reader, 1, cancellationToken))[0];
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? snapshot with { Operation = new StoredOperation(reader.GetGuid(0), (TransactionKind)reader.GetInt16(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3)) }
            : snapshot;
    }

    private static NpgsqlBatchCommand WalletsCommand(Guid[] ids) =>
        new(LoadWalletsSql) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = ids } } };

    /// <summary>Reads the rows of <see cref="LoadWalletsSql"/>: at least one per requested wallet, kind null for an unknown one.</summary>
    private static async Task<WalletSnapshot[]> ReadSnapshotsAsync(NpgsqlDataReader reader, int count, CancellationToken cancellationToken)
    {
        var kinds = new WalletKind?[count];
        var sequences = new long[count];
        // One dictionary per request, even for the same wallet twice: each grain owns and changes its own.
        var balances = new Dictionary<AssetId, long>[count];
        for (var i = 0; i < count; i++)
        {
            balances[i] = [];
        }

        while (await reader.ReadAsync(cancellationToken))
        {
            var i = (int)reader.GetInt64(0) - 1;
            kinds[i] = reader.IsDBNull(1) ? null : (WalletKind)reader.GetInt16(1);
            sequences[i] = reader.GetInt64(2);
            if (!reader.IsDBNull(3))
            {
                balances[i][new AssetId(reader.GetGuid(3))] = reader.GetInt64(4);
            }
        }

        var snapshots = new WalletSnapshot[count];
        for (var i = 0; i < count; i++)
        {
            snapshots[i] = new WalletSnapshot(kinds[i], balances[i], sequences[i], null);
        }

        return snapshots;
    }

    private sealed record PendingLoad(WalletId Wallet, TaskCompletionSource<WalletSnapshot> Completion);

    /// <summary>The operation stored under <paramref name="key"/>, or null.</summary>
    public async Task<StoredOperation?> FindOperationAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT operation_id, kind, request_hash, result FROM ledger_operations WHERE idempotency_key = $1");
        cmd.Parameters.Add(new() { Value = key.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredOperation(reader.GetGuid(0), (TransactionKind)reader.GetInt16(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3))
            : null;
    }

    public async Task<bool> IsUsedAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT 1 FROM ledger_operations WHERE idempotency_key = $1");
        cmd.Parameters.Add(new() { Value = key.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The kind of a wallet, or null if unknown.</summary>
    public async Task<WalletKind?> FindKindAsync(WalletId wallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT kind FROM ledger_wallets WHERE wallet_id = $1");
        cmd.Parameters.Add(new() { Value = wallet.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is short kind ? (WalletKind)kind : null;
    }
}

using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>What a wallet grain loads: its kind (null if unknown), committed balances, last sequence number, and optionally a stored operation.</summary>
public sealed record WalletSnapshot(WalletKind? Kind, Dictionary<AssetId, long> Balances, long Sequence, StoredOperation? Operation);

/// <summary>The wallet grain's reads, each one round trip.</summary>
public sealed class WalletStore(NpgsqlDataSource dataSource)
{
    /// <summary>Loads the wallet and, when <paramref name="key"/> is given, the operation stored under that key.</summary>
    public async Task<WalletSnapshot> LoadAsync(WalletId wallet, IdempotencyKey? key, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(conn);
        // One statement for kind, last sequence number and balances: at least one row, kind null for an unknown wallet.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            SELECT w.kind, (SELECT coalesce(max(s.seq), 0) FROM ledger_wallet_sequence s WHERE s.wallet_id = $1), b.asset_id, b.balance
            FROM (SELECT $1::uuid AS id) x
            LEFT JOIN ledger_wallets w ON w.wallet_id = x.id
            LEFT JOIN ledger_balances b ON b.wallet_id = x.id
            """)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = wallet.Value } },
        });
        if (key is { } k)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT operation_id, kind, request_hash, result FROM ledger_operations WHERE idempotency_key = $1")
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = k.Value } },
            });
        }

        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        WalletKind? kind = null;
        long sequence = 0;
        var balances = new Dictionary<AssetId, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            kind = reader.IsDBNull(0) ? null : (WalletKind)reader.GetInt16(0);
            sequence = reader.GetInt64(1);
            if (!reader.IsDBNull(2))
            {
                balances[new AssetId(reader.GetGuid(2))] = reader.GetInt64(3);
            }
        }

        StoredOperation? operation = null;
        if (key is not null)
        {
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                operation = new StoredOperation(reader.GetGuid(0), (TransactionKind)reader.GetInt16(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3));
            }
        }

        return new WalletSnapshot(kind, balances, sequence, operation);
    }

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

    /// <summary>The kind of a wallet, or null if unknown.</summary>
    public async Task<WalletKind?> FindKindAsync(WalletId wallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT kind FROM ledger_wallets WHERE wallet_id = $1");
        cmd.Parameters.Add(new() { Value = wallet.Value });
        return await cmd.ExecuteScalarAsync(cancellationToken) is short kind ? (WalletKind)kind : null;
    }
}

using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Tests.Support;

/// <summary>Assertions straight on the ledger tables.</summary>
public static class LedgerSql
{
    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var value = await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<long> BalanceAsync(NpgsqlDataSource db, WalletId wallet, AssetId asset) =>
        ScalarAsync(db, "SELECT coalesce((SELECT balance FROM ledger_balances WHERE wallet_id = $1 AND asset_id = $2), 0)", wallet.Value, asset.Value);

    public static Task<long> OperationsWithKeyAsync(NpgsqlDataSource db, IdempotencyKey key) =>
        ScalarAsync(db, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", key.Value);

    public static Task<long> TransactionsOfKeyAsync(NpgsqlDataSource db, IdempotencyKey key) =>
        ScalarAsync(db, "SELECT count(*) FROM ledger_transactions t JOIN ledger_operations o USING (operation_id) WHERE o.idempotency_key = $1", key.Value);

    /// <summary>The stored operations whose idempotency key starts with <paramref name="prefix"/>: key → operation id.</summary>
    public static async Task<Dictionary<string, Guid>> OperationsByKeyPrefixAsync(NpgsqlDataSource db, string prefix)
    {
        var stored = new Dictionary<string, Guid>();
        await using var cmd = db.CreateCommand("SELECT idempotency_key, operation_id FROM ledger_operations WHERE idempotency_key LIKE $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = prefix + "%" });
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            stored.Add(reader.GetString(0), reader.GetGuid(1));
        }

        return stored;
    }

    /// <summary>Every asset sums to zero, no non-mint wallet is negative, and verification is clean.</summary>
    public static async Task AssertInvariantsAsync(NpgsqlDataSource db)
    {
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM (SELECT asset_id FROM ledger_balances GROUP BY asset_id HAVING sum(balance) <> 0) s"));
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM ledger_balances WHERE balance < 0 AND wallet_id <> asset_id"));
        var verification = await new LedgerVerifier(db).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.True(verification.Clean, string.Join("\n", verification.Mismatches.Select(m => m.Kind + ": " + m.Detail)));
    }
}

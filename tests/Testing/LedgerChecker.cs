using System.Globalization;
using Npgsql;

namespace TiBillet.Testing;

/// <summary>
/// The money invariants every fault test ends with, checked in SQL of its own (not through the code under test) and
/// through <c>verifyLedger</c>: each asset sums to zero, no balance below zero but a mint's, the balances replayed from
/// the transactions equal the stored ones, no idempotency key moved money twice, every chain verifies, and (for the
/// cards given) what the wallet grains answer equals the stored balances.
/// </summary>
public static class LedgerChecker
{
    /// <summary>Everything found wrong, one line each; empty when the ledger is clean.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(
        string connectionString, GraphQLTestClient api, string adminAuthorization, CashlessNetwork? network = null, IEnumerable<string>? cards = null,
        CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        await using var db = NpgsqlDataSource.Create(connectionString);

        async Task RowsAsync(string sql, string what)
        {
            await using var cmd = db.CreateCommand(sql);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                problems.Add($"{what}: {string.Join(" ", values)}");
            }
        }

        await RowsAsync("SELECT asset_id, sum(balance) FROM ledger_balances GROUP BY asset_id HAVING sum(balance) <> 0", "asset does not sum to zero");
        await RowsAsync("SELECT wallet_id, asset_id, balance FROM ledger_balances WHERE balance < 0 AND wallet_id <> asset_id", "negative balance");
        await RowsAsync(
            """
            WITH replayed AS (
                SELECT wallet_id, asset_id, sum(delta) AS balance FROM (
                    SELECT from_wallet AS wallet_id, asset_id, -amount AS delta FROM ledger_transactions
                    UNION ALL
                    SELECT to_wallet, asset_id, amount FROM ledger_transactions) m
                GROUP BY wallet_id, asset_id)
            SELECT coalesce(r.wallet_id, b.wallet_id), coalesce(r.asset_id, b.asset_id), coalesce(r.balance, 0), coalesce(b.balance, 0)
            FROM replayed r FULL JOIN ledger_balances b ON b.wallet_id = r.wallet_id AND b.asset_id = r.asset_id
            WHERE coalesce(r.balance, 0) <> coalesce(b.balance, 0)
            """,
            "replayed balance differs from stored (wallet, asset, replayed, stored)");
        await RowsAsync("SELECT idempotency_key, count(*) FROM ledger_operations GROUP BY idempotency_key HAVING count(*) > 1", "key moved money twice");
        await RowsAsync("SELECT wallet_id, seq, count(*) FROM ledger_wallet_sequence GROUP BY wallet_id, seq HAVING count(*) > 1", "wallet sequence claimed twice");

        var verification = await api.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", authorization: adminAuthorization, cancellationToken: cancellationToken);
        if (verification.Body["data"]?["verifyLedger"] is not { } verified)
        {
            problems.Add("verifyLedger failed: " + verification.Body.ToJsonString());
        }
        else if (!verified["clean"]!.GetValue<bool>())
        {
            problems.Add("verifyLedger: " + verified["mismatches"]!.ToJsonString());
        }

        if (network is not null && cards is not null)
        {
            foreach (var card in cards)
            {
                var wallet = await network.WalletOfAsync(card);
                var answered = await network.WalletBalancesAsync(wallet);
                var stored = await StoredBalancesAsync(db, wallet, cancellationToken);
                if (!answered.OrderBy(p => p.Key).SequenceEqual(stored.OrderBy(p => p.Key)))
                {
                    problems.Add($"card {card}: the API answers {Show(answered)}, the ledger stores {Show(stored)}");
                }
            }
        }

        return problems;
    }

    /// <summary>Throws with every problem listed unless the ledger is clean.</summary>
    public static async Task AssertCleanAsync(
        string connectionString, GraphQLTestClient api, string adminAuthorization, CashlessNetwork? network = null, IEnumerable<string>? cards = null,
        CancellationToken cancellationToken = default)
    {
        var problems = await ProblemsAsync(connectionString, api, adminAuthorization, network, cards, cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The ledger is not clean:\n" + string.Join("\n", problems));
        }
    }

    /// <summary>How many operations a client's key (scoped to <paramref name="venue"/>) committed: 0 or 1 when all is well.</summary>
    public static async Task<long> OperationsWithKeyAsync(NpgsqlDataSource db, string venue, string key, CancellationToken cancellationToken = default)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1");
        cmd.Parameters.Add(new() { Value = TiBillet.Grains.Wallets.IdempotencyScope.ForVenue(TiBillet.Grains.Common.VenueId.Parse(venue), key).Value });
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<Dictionary<string, long>> StoredBalancesAsync(NpgsqlDataSource db, string wallet, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand("SELECT asset_id::text, balance FROM ledger_balances WHERE wallet_id = $1::uuid AND balance <> 0");
        cmd.Parameters.Add(new() { Value = wallet });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var balances = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            balances[reader.GetString(0)] = reader.GetInt64(1);
        }

        return balances;
    }

    private static string Show(Dictionary<string, long> balances) =>
        "{" + string.Join(", ", balances.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")) + "}";
}

using System.Text.Json.Nodes;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Cluster;

/// <summary>
/// A real duplicate activation. Wallets are active on one silo of three, each in the middle of a sale (planned against a
/// balance of 1,000, its write waiting in PostgreSQL) when that silo is frozen (SIGSTOP). The others declare it dead; a
/// survivor activates the wallets again from the database and spends. The frozen silo resumes (SIGCONT) with its old
/// activations, which carry on with their writes: the database refuses them (the wallet's next sequence number is taken),
/// each stale activation unloads, and its client gets UNAVAILABLE. The client's retry with the same key runs once through
/// a survivor; the stale silo, finding itself dead, stops.
/// </summary>
/// <remarks>
/// Two waits are forced through the database so that the race is not left to chance: the stale sales' writes wait on a
/// row lock (an uncommitted row with their key) until the survivor has spent, and the membership table is locked while
/// the frozen silo resumes, so that it works on its old view (it thinks it is alive) until its stale writes are answered.
/// Both are what a slow or briefly unreachable database does; neither changes what the silos decide.
/// </remarks>
public sealed class FrozenSiloTests
{
    private const long Funding = 1_000;
    private const long Spend = 300;
    private const int WalletsOnVictim = 3;
    private const int MaxFundedCards = 12;

    [Fact]
    public async Task A_frozen_silo_resumed_with_stale_wallets_is_refused_by_the_database_and_its_clients_retry_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestPostgres.CreateDatabaseAsync("frozen");
        var settings = new Dictionary<string, string>
        {
            // Each wallet's commits are logged where its activation lives: that is how the test knows which silo holds it.
            ["Logging__LogLevel__TiBillet.Grains.Wallets.WalletGrain"] = "Debug",
            // The stale sales stay in flight across the freeze (the clock runs while a process is stopped): no timeout
            // may answer them before the database does.
            ["SiloMessagingOptions__ResponseTimeout"] = "00:01:30",
            ["GraphQLApiOptions__Timeout"] = "00:01:30",
        };
        await using var cluster = await SiloCluster.StartAsync(connectionString, 3, settings, ct);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var net = await CashlessNetwork.CreateAsync(cluster.Silos[0].Client);
        var survivor = net.Through(cluster.Silos[0].Client);
        var victim = cluster.Silos[2];
        var stale = net.Through(victim.Client);

        // Cards funded through the silo that will freeze, kept when their wallet committed there (placement prefers the
        // caller's silo, so most do).
        var cards = new List<string>();
        for (var i = 0; i < MaxFundedCards && cards.Count < WalletsOnVictim; i++)
        {
            var card = await stale.FundedCardAsync(Funding);
            var wallet = Guid.Parse(await stale.WalletOfAsync(card));
            if (victim.Output.Contains($"Wallet {wallet} committed", StringComparison.Ordinal))
            {
                cards.Add(card);
            }
        }

        Assert.NotEmpty(cards);
        var fresh = cards.ToDictionary(c => c, _ => CashlessNetwork.NewKey());
        var staleKeys = cards.ToDictionary(c => c, _ => CashlessNetwork.NewKey());

        // An uncommitted row holds each stale key: the stale sales' write waits on it, before it claims anything.
        await using var keyHolder = await db.OpenConnectionAsync(ct);
        var keyTransaction = await keyHolder.BeginTransactionAsync(ct);
        foreach (var key in staleKeys.Values)
        {
            await using var hold = new NpgsqlCommand(
                "INSERT INTO ledger_operations (operation_id, idempotency_key, request_hash, kind, result, writer_id, height) VALUES (gen_random_uuid(), $1, '\\x00', 0, '\\x00', gen_random_uuid(), 0)",
                keyHolder, keyTransaction);
            hold.Parameters.Add(new() { Value = IdempotencyScope.ForVenue(VenueId.Parse(net.Venue), key).Value });
            await hold.ExecuteNonQueryAsync(ct);
        }

        var staleSales = cards.Select(c => stale.PayAsync(c, Spend, 1, staleKeys[c])).ToList();
        await WaitUntilAsync(async () => await BlockedByAsync(db, keyHolder.ProcessID, ct) > 0, TimeSpan.FromSeconds(30), ct);
        // The other stale sales plan (against 1,000) and queue behind the first write.
        await Task.Delay(500, ct);
        await victim.FreezeAsync();
        var frozen = DateTime.UtcNow;
        await WaitUntilAsync(async () => await cluster.MembershipAsync(victim.SiloPort, ct) is [.., (_, SiloCluster.Dead)], TimeSpan.FromSeconds(60), ct);
        var declaredDead = DateTime.UtcNow - frozen;

        // A survivor activates each wallet again (from the database) and spends 300 of its 1,000.
        foreach (var card in cards)
        {
            var pay = await PayUntilApprovedAsync(survivor, card, fresh[card], ct);
            Assert.Equal(Funding - Spend, NetworkBalance(pay, net.Tlf));
        }

        // The frozen silo resumes on its old view: the membership table is held until its stale writes are answered.
        await using var membershipHolder = await db.OpenConnectionAsync(ct);
        var membershipTransaction = await membershipHolder.BeginTransactionAsync(ct);
        await using (var lockMembership = new NpgsqlCommand("LOCK TABLE orleans_membership IN ACCESS EXCLUSIVE MODE", membershipHolder, membershipTransaction))
        {
            await lockMembership.ExecuteNonQueryAsync(ct);
        }

        await keyTransaction.RollbackAsync(ct);
        await victim.ResumeAsync();
        var answers = new List<string>();
        foreach (var sale in staleSales)
        {
            var response = await sale;
            Assert.Null(response.Body["data"]?["pay"]);
            // A refusal is typed and retryable, never a 500 or exception text.
            answers.Add(response.ErrorCode());
        }

        Assert.All(answers, code => Assert.Equal("UNAVAILABLE", code));
        // The silo's log is read from its stdout asynchronously: give the last lines a moment to arrive.
        int StaleLines() => victim.Output.Split('\n').Count(l => l.Contains("activation was stale", StringComparison.Ordinal));
        await WaitUntilAsync(() => Task.FromResult(StaleLines() >= cards.Count), TimeSpan.FromSeconds(15), ct);
        var refusals = StaleLines();
        Assert.Equal(cards.Count, refusals);
        foreach (var key in staleKeys.Values)
        {
            Assert.Equal(0, await LedgerChecker.OperationsWithKeyAsync(db, net.Venue, key, ct));
        }

        // Let the stale silo read the membership table: declared dead, it stops by itself.
        await membershipTransaction.RollbackAsync(ct);
        await WaitUntilAsync(() => Task.FromResult(!victim.IsRunning), TimeSpan.FromSeconds(60), ct);

        // The clients retry their keys through a survivor: each runs exactly once (700 covers a second 300), and a further
        // retry replays the first answer.
        foreach (var card in cards)
        {
            var retry = await PayUntilApprovedAsync(survivor, card, staleKeys[card], ct);
            var again = await PayUntilApprovedAsync(survivor, card, staleKeys[card], ct);
            Assert.Equal(retry["operationId"]!.GetValue<string>(), again["operationId"]!.GetValue<string>());
            Assert.Equal(Funding - 2 * Spend, await survivor.TlfBalanceAsync(card));
            Assert.Equal(1, await LedgerChecker.OperationsWithKeyAsync(db, net.Venue, fresh[card], ct));
            Assert.Equal(1, await LedgerChecker.OperationsWithKeyAsync(db, net.Venue, staleKeys[card], ct));
        }

        await LedgerChecker.AssertCleanAsync(connectionString, cluster.Silos[1].Client, net.Admin, survivor, cards, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{cards.Count} wallets active on the frozen silo, each with a sale in flight; declared dead {declaredDead.TotalSeconds:F1} s after SIGSTOP; " +
            $"after SIGCONT the database refused {refusals} stale writes, each stale activation unloaded and answered {string.Join(", ", answers.Distinct())}; " +
            "every retry through a survivor ran once; the stale silo stopped by itself");
    }

    private static long NetworkBalance(JsonNode pay, string asset) =>
        pay["balances"]!.AsArray().Single(b => b!["assetId"]!.GetValue<string>() == asset)!["amount"]!.GetValue<long>();

    private static async Task<long> BlockedByAsync(NpgsqlDataSource db, int pid, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))");
        cmd.Parameters.Add(new() { Value = pid });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<JsonNode> PayUntilApprovedAsync(CashlessNetwork via, string card, string key, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await via.PayAsync(card, Spend, 1, key);
            if (response.Body["data"]?["pay"] is { } pay)
            {
                Assert.True(pay["approved"]!.GetValue<bool>(), pay.ToJsonString());
                return pay;
            }

            Assert.True(DateTime.UtcNow < deadline, response.Body.ToJsonString());
            Assert.Contains(response.ErrorCode(), (string[])["UNAVAILABLE", "TIMEOUT"]);
            await Task.Delay(200, ct);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(100, ct);
        }
    }
}

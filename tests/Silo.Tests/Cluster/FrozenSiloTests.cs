using Npgsql;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Cluster;

/// <summary>
/// A real duplicate activation: one silo of three is frozen (SIGSTOP) until the others declare it dead and activate
/// its wallets again, then resumed (SIGCONT) with its old activations and requests queued for it. The survivors and the
/// stale silo both try to spend the same wallets; the database lets one commit per wallet sequence number, no balance
/// goes below zero, and the stale silo, finding itself declared dead, stops.
/// </summary>
public sealed class FrozenSiloTests
{
    private const long Funding = 1_000;
    private const long Spend = 800;
    private const int Cards = 10;

    [Fact]
    public async Task A_frozen_silo_declared_dead_and_resumed_cannot_spend_a_wallet_its_successor_spent()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestPostgres.CreateDatabaseAsync("frozen");
        await using var cluster = await SiloCluster.StartAsync(connectionString, 3, cancellationToken: ct);
        var net = await CashlessNetwork.CreateAsync(cluster.Silos[0].Client);
        var survivor = net.Through(cluster.Silos[0].Client);
        var victim = cluster.Silos[2];
        var stale = net.Through(victim.Client);
        var cards = new List<string>();
        for (var i = 0; i < Cards; i++)
        {
            // Funded and read through the silo that will freeze, so its wallets are active there (some of them at least).
            var card = await stale.FundedCardAsync(Funding);
            await stale.TlfBalanceAsync(card);
            cards.Add(card);
        }

        await victim.FreezeAsync();
        var frozen = DateTime.UtcNow;
        await WaitUntilAsync(async () => await cluster.MembershipAsync(victim.SiloPort, ct) is [.., (_, SiloCluster.Dead)], TimeSpan.FromSeconds(60), ct);
        var declaredDead = DateTime.UtcNow - frozen;

        // The survivors activate the wallets again and spend 800 of each 1,000.
        var fresh = cards.ToDictionary(c => c, _ => CashlessNetwork.NewKey());
        foreach (var card in cards)
        {
            var pay = await PayUntilAnsweredAsync(survivor, card, fresh[card], ct);
            Assert.True(pay["approved"]!.GetValue<bool>(), pay.ToJsonString());
        }

        // The frozen silo has the same sales queued with other keys; it resumes with its old activations (balance 1,000).
        var staleKeys = cards.ToDictionary(c => c, _ => CashlessNetwork.NewKey());
        var staleSales = cards.Select(c => stale.PayAsync(c, Spend, 1, staleKeys[c])).ToList();
        await Task.Delay(200, ct);
        await victim.ResumeAsync();
        var answeredByStale = 0;
        var reasons = new List<string>();
        foreach (var sale in staleSales)
        {
            try
            {
                if ((await sale).Body["data"]?["pay"] is { } pay)
                {
                    answeredByStale++;
                    reasons.Add(pay["reason"]?.GetValue<string>() ?? "");
                    Assert.False(pay["approved"]!.GetValue<bool>(), "the stale silo approved a second spend: " + pay.ToJsonString());
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // The stale silo stopped under this request.
            }
        }

        // Declared dead, it stops by itself.
        await WaitUntilAsync(() => Task.FromResult(!victim.IsRunning), TimeSpan.FromSeconds(60), ct);

        // Whatever the stale silo did, a retry of its keys through the survivors is declined: the funds are gone.
        foreach (var card in cards)
        {
            var retry = await PayUntilAnsweredAsync(survivor, card, staleKeys[card], ct);
            Assert.False(retry["approved"]!.GetValue<bool>(), retry.ToJsonString());
            Assert.Equal(Funding - Spend, await survivor.TlfBalanceAsync(card));
        }

        await using var db = NpgsqlDataSource.Create(connectionString);
        foreach (var card in cards)
        {
            Assert.Equal(1, await LedgerChecker.OperationsWithKeyAsync(db, net.Venue, fresh[card], ct));
            Assert.Equal(0, await LedgerChecker.OperationsWithKeyAsync(db, net.Venue, staleKeys[card], ct));
        }

        await LedgerChecker.AssertCleanAsync(connectionString, cluster.Silos[1].Client, net.Admin, survivor, cards, ct);
        var staleWrites = victim.Output.Split('\n').Count(l => l.Contains("was stale", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"declared dead {declaredDead.TotalSeconds:F1} s after SIGSTOP; the stale silo answered {answeredByStale} of its {Cards} queued sales (all declined: {string.Join(", ", reasons.Distinct())}), " +
            $"logged {staleWrites} stale-wallet reloads, and stopped by itself");
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> PayUntilAnsweredAsync(CashlessNetwork via, string card, string key, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await via.PayAsync(card, Spend, 1, key);
            if (response.Body["data"]?["pay"] is { } pay)
            {
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

using System.Diagnostics;
using Npgsql;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Cluster;

/// <summary>
/// A real three-silo cluster under faults: three silo processes on one PostgreSQL, a client load (sales, top-ups, taps at
/// tills, reads) spread over their three endpoints, one silo killed with SIGKILL mid-load. Nothing acknowledged is lost,
/// nothing is debited twice, retries get the first answer, the survivors serve the dead silo's grains again, the
/// membership table declares it dead, and a restarted silo joins again.
/// </summary>
public sealed class ClusterFaultTests
{
    private const long Funding = 100_000;
    private const int Cards = 15;

    [Fact]
    public async Task A_silo_killed_mid_load_loses_nothing_acknowledged_and_its_grains_are_served_again_by_the_survivors()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestPostgres.CreateDatabaseAsync("cluster");
        await using var cluster = await SiloCluster.StartAsync(connectionString, 3, cancellationToken: ct);
        var net = await CashlessNetwork.CreateAsync(cluster.Silos[0].Client);
        var networks = cluster.Silos.Select(s => net.Through(s.Client)).ToList();
        var cards = new List<string>();
        for (var i = 0; i < Cards; i++)
        {
            // Funded through each silo in turn, so the wallets' grains are spread over the three.
            cards.Add(await networks[i % 3].FundedCardAsync(Funding));
        }

        // Six of the eight clients also tap cards at a till of their own (a pending payment, then a reader's tap).
        var tills = await ClusterLoad.CreateTillsAsync(net, 6);
        var load = new ClusterLoad(networks, cards, Funding, seed: 7, tills);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = load.RunAsync(workers: 8, stop.Token);
        await WaitUntilAsync(() => load.Acked >= 80, TimeSpan.FromSeconds(90), ct);

        var victim = cluster.Silos[2];
        var killedAt = DateTime.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        await victim.KillAsync();

        // The survivors vote it dead in the membership table.
        await WaitUntilAsync(async () => await cluster.MembershipAsync(victim.SiloPort, ct) is [.., (_, SiloCluster.Dead)], TimeSpan.FromSeconds(60), ct);
        var declaredDead = sinceKill.Elapsed;

        // Every card is served again by the survivors: a read through them answers for each.
        for (var i = 0; i < cards.Count; i++)
        {
            var (survivor, card) = (networks[i % 2], cards[i]);
            await WaitUntilAsync(async () => await AnswersAsync(() => survivor.TlfBalanceAsync(card)), TimeSpan.FromSeconds(30), ct);
        }

        await WaitUntilAsync(() => load.Answers.Count(a => a.Approved && a.StartedAt > killedAt) >= 80, TimeSpan.FromSeconds(90), ct);
        var recovery = load.RecoverySeconds(killedAt);

        // A restarted silo joins as a new generation; the dead one stays dead.
        await victim.StartAsync(ct);
        var rows = await cluster.MembershipAsync(victim.SiloPort, ct);
        Assert.Equal([SiloCluster.Dead, SiloCluster.Active], rows.Select(r => r.Status));
        await WaitUntilAsync(() => load.Answers.Count(a => a.Approved && a.StartedAt > killedAt) >= 130, TimeSpan.FromSeconds(90), ct);

        await stop.CancelAsync();
        await running;
        await load.ResolveUnansweredAsync(ct);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var verdict = await load.CheckAsync(networks[0], db, ct);
        Assert.Empty(verdict.Problems);
        Assert.DoesNotContain(load.Answers, a => a.Refusal is not null);
        Assert.True(load.AckedByKind.GetValueOrDefault(ClusterLoad.Kind.Tap) > 0, "no tap was acknowledged");
        await LedgerChecker.AssertCleanAsync(connectionString, cluster.Silos[1].Client, net.Admin, networks[1], cards, ct);
        Assert.True(recovery < 30, $"recovery took {recovery:F1} s");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acked {verdict.Acked} ({string.Join(", ", load.AckedByKind.Select(k => $"{k.Key} {k.Value}"))}), declared dead after {declaredDead.TotalSeconds:F1} s, every card served again after {recovery:F1} s, retries: {string.Join(", ", load.RetryCauses)}");
    }

    private static async Task<bool> AnswersAsync(Func<Task<long>> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            return false;
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

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(100, ct);
        }
    }
}

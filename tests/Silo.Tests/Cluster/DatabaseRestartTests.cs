using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Cluster;

/// <summary>
/// The cluster's PostgreSQL dies (SIGKILL of the postmaster) in the middle of a load and comes back a few seconds
/// later. While it is down, requests fail fast with UNAVAILABLE (none waits beyond the request timeout); afterwards
/// the same silos serve again without a restart, nothing acknowledged is lost, and every request whose COMMIT was in
/// flight resolves on retry to exactly one outcome.
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private const long Funding = 100_000;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);
    private readonly string _folder = Directory.CreateTempSubdirectory("tibillet-restart-pg-").FullName;
    private LocalPostgres _server = null!;

    public async ValueTask InitializeAsync()
    {
        // A server of its own: killing the assembly's shared one would fail the tests running beside this one.
        _server = await LocalPostgres.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = Path.Combine(_folder, "data"),
                Database = "cluster",
                Settings = new() { ["fsync"] = "off", ["full_page_writes"] = "off" },
            },
            NullLogger.Instance,
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Requests_fail_fast_while_the_database_is_down_and_the_cluster_recovers_without_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = _server.ConnectionString("cluster");
        await using var cluster = await SiloCluster.StartAsync(connectionString, 2,
            new Dictionary<string, string> { ["GraphQLApiOptions__Timeout"] = RequestTimeout.ToString("c", CultureInfo.InvariantCulture) }, ct);
        var net = await CashlessNetwork.CreateAsync(cluster.Silos[0].Client);
        var networks = cluster.Silos.Select(s => net.Through(s.Client)).ToList();
        var cards = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            cards.Add(await networks[i % 2].FundedCardAsync(Funding));
        }

        var pids = cluster.Silos.Select(s => s.Pid).ToList();
        var load = new ClusterLoad(networks, cards, Funding, seed: 11) { AttemptTimeout = RequestTimeout + TimeSpan.FromSeconds(20) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = load.RunAsync(workers: 8, stop.Token);
        await WaitUntilAsync(() => load.Acked >= 60, TimeSpan.FromSeconds(60), ct);

        var killedAt = DateTime.UtcNow;
        NativeKill(_server.ServerPid);
        await _server.WaitForExitAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await _server.RestartAsync(ct);
        var restartedAt = DateTime.UtcNow;

        await WaitUntilAsync(() => load.Answers.Count(a => a.Approved && a.StartedAt > restartedAt) >= 40, TimeSpan.FromSeconds(90), ct);
        await stop.CancelAsync();
        await running;
        var unanswered = load.Unresolved;
        await load.ResolveUnansweredAsync(ct);

        // While it was down: refusals, each within the request timeout (plus the HTTP round trip), never a hang.
        var duringOutage = load.FailedAttempts.Where(f => f.At >= killedAt && f.At <= restartedAt.AddSeconds(2) && f.Cause != "stopped").ToList();
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, f => Assert.True(f.Ms < (RequestTimeout + TimeSpan.FromSeconds(3)).TotalMilliseconds, $"{f.Cause} after {f.Ms:F0} ms"));
        Assert.Contains(duringOutage, f => f.Cause == "UNAVAILABLE");

        Assert.Equal(pids, cluster.Silos.Select(s => s.Pid));
        Assert.All(cluster.Silos, s => Assert.True(s.IsRunning));
        await using var db = NpgsqlDataSource.Create(connectionString);
        var verdict = await load.CheckAsync(networks[1], db, ct);
        Assert.Empty(verdict.Problems);
        Assert.True(!load.Answers.Any(a => a.Refusal is not null), string.Join("\n", load.Answers.Where(a => a.Refusal is not null)) + "\n" + Unhandled(cluster));
        await LedgerChecker.AssertCleanAsync(connectionString, cluster.Silos[0].Client, net.Admin, networks[0], cards, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acked {verdict.Acked}, unanswered at stop {unanswered}, failed attempts during the outage {duringOutage.Count} (longest {duringOutage.Max(f => f.Ms):F0} ms), " +
            $"served again {load.RecoverySeconds(restartedAt):F1} s after the restart, retries: {string.Join(", ", load.RetryCauses)}");
    }

    /// <summary>The silos' logged unhandled errors, for a failure message.</summary>
    private static string Unhandled(SiloCluster cluster) =>
        string.Join("\n", cluster.Silos.SelectMany(s => s.Output.Split('\n'))
            .SkipWhile(l => !l.Contains("Unhandled", StringComparison.Ordinal)).Take(60));

    private static void NativeKill(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

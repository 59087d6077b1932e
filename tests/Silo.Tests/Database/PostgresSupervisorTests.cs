using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Database;

/// <summary>
/// The default run supervises its private PostgreSQL: the postmaster is killed with SIGKILL in the middle of a sales
/// load, and the same silo process (not restarted) restarts the server and approves sales again, losing nothing it
/// acknowledged.
/// </summary>
public sealed class PostgresSupervisorTests
{
    private const long Funding = 100_000;

    [Fact]
    public async Task A_killed_private_postgres_is_restarted_by_the_silo_and_sales_are_approved_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = new SiloProcess(connectionString: null, new Dictionary<string, string>
        {
            // Throwaway data: durability buys nothing here and costs seconds.
            ["LocalPostgresOptions__Settings__fsync"] = "off",
            ["LocalPostgresOptions__Settings__full_page_writes"] = "off",
            ["PostgresSupervisorOptions__FirstRetryDelay"] = "00:00:00.200",
            ["PostgresSupervisorOptions__MaxRetryDelay"] = "00:00:01",
        });
        await silo.StartAsync(ct);
        var siloPid = silo.Pid;
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cards = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            cards.Add(await net.FundedCardAsync(Funding));
        }

        var load = new ClusterLoad([net], cards, Funding, seed: 1) { AttemptTimeout = TimeSpan.FromSeconds(15) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = load.RunAsync(workers: 6, stop.Token);
        await WaitUntilAsync(() => load.Acked >= 100, TimeSpan.FromSeconds(60), ct);

        var pidFile = Path.Combine(silo.WorkingDirectory, ".tibillet", "postgres", "postmaster.pid");
        var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        var killedAt = DateTime.UtcNow;
        using (var kill = Process.Start("kill", ["-KILL", postmaster.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        // While it is down, requests are refused fast with UNAVAILABLE; then sales are approved again.
        var ackedAtKill = load.Acked;
        await WaitUntilAsync(() => load.Answers.Count(a => a.Approved && a.Operation.Kind == ClusterLoad.Kind.Pay && a.StartedAt > killedAt) >= 50, TimeSpan.FromSeconds(90), ct);
        await stop.CancelAsync();
        await running;
        await load.ResolveUnansweredAsync(ct);

        Assert.True(silo.IsRunning);
        Assert.Equal(siloPid, silo.Pid);
        var restarted = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        Assert.NotEqual(postmaster, restarted);
        Assert.Contains("exited unexpectedly", silo.Output, StringComparison.Ordinal);
        Assert.Contains("is running again", silo.Output, StringComparison.Ordinal);
        Assert.True(load.RetryCauses.ContainsKey("UNAVAILABLE"), string.Join(", ", load.RetryCauses));
        Assert.DoesNotContain(load.Answers, a => a.Refusal is not null);

        var connectionString = await ConnectionStringAsync(silo);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var verdict = await load.CheckAsync(net, db, ct);
        Assert.Empty(verdict.Problems);
        await LedgerChecker.AssertCleanAsync(connectionString, silo.Client, net.Admin, net, cards, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acked {verdict.Acked} ({ackedAtKill} before the kill), recovered in {load.RecoverySeconds(killedAt):F1} s, retries: {string.Join(", ", load.RetryCauses)}");
    }

    /// <summary>The private server's connection string, from its port (in postmaster.pid) and its password file.</summary>
    private static async Task<string> ConnectionStringAsync(SiloProcess silo)
    {
        var folder = Path.Combine(silo.WorkingDirectory, ".tibillet");
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "postgres", "postmaster.pid"));
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = int.Parse(lines[3], CultureInfo.InvariantCulture),
            Username = "tibillet",
            Password = (await File.ReadAllTextAsync(Path.Combine(folder, "postgres.password"))).Trim(),
            Database = "tibillet",
        }.ConnectionString;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50, ct);
        }
    }
}

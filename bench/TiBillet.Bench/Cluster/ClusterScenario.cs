using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;
using TiBillet.Testing;

namespace TiBillet.Bench.Cluster;

/// <summary>
/// <c>cluster [--quick] [--wallets N] [--workers W]</c>: three silo processes on one PostgreSQL (durable settings), the
/// fault tests' client load (sales, top-ups, card taps at tills, reads spread over the three endpoints, retried elsewhere
/// with the same key when unanswered; each client taps at a till of its own), one silo killed with SIGKILL a third of the way through. Before the load, every wallet is activated
/// (a read through each silo in turn), so about a third of them live on the silo that dies. Prints one JSON line:
/// throughput, acknowledged operations, how many of those were lost (must be 0), double debits (must be 0), how long until
/// every card was served again, and the p99 latency of the operations that did not overlap the failover.
/// </summary>
public static class ClusterScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var wallets = IntArg(args, "--wallets") ?? (quick ? 60 : 300);
        var workers = IntArg(args, "--workers") ?? 16;
        var duration = quick ? TimeSpan.FromSeconds(24) : TimeSpan.FromSeconds(60);
        const long funding = 1_000_000;

        var folder = Directory.CreateTempSubdirectory("tibillet-bench-cluster-").FullName;
        try
        {
            Log("starting PostgreSQL (synchronous_commit=on, fsync=on)");
            await using var postgres = await LocalPostgres.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "data"), Database = "bench" }, NullLogger.Instance);
            var connectionString = postgres.ConnectionString("bench");
            Log("starting three silos");
            await using var cluster = await SiloCluster.StartAsync(connectionString, 3);
            var net = await CashlessNetwork.CreateAsync(cluster.Silos[0].Client);
            var networks = cluster.Silos.Select(s => net.Through(s.Client)).ToList();
            Log($"funding {wallets} cards");
            var cards = new string[wallets];
            await Parallel.ForEachAsync(Enumerable.Range(0, wallets), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                cards[i] = await networks[i % 3].FundedCardAsync(funding));
            // Activate every wallet, spread over the silos by where each card was first used.
            await Parallel.ForEachAsync(Enumerable.Range(0, wallets), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                await networks[i % 3].TlfBalanceAsync(cards[i]));

            Log($"opening {workers} tills, one per client");
            var tills = await ClusterLoad.CreateTillsAsync(net, workers);
            var load = new ClusterLoad(networks, cards, funding, seed: 42, tills);
            using var stop = new CancellationTokenSource();
            var started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            Log($"load: {workers} clients for {duration.TotalSeconds:F0} s; SIGKILL of silo 3 at {duration.TotalSeconds / 3:F0} s");
            var running = load.RunAsync(workers, stop.Token);
            await Task.Delay(duration / 3);
            var killedAt = DateTime.UtcNow;
            await cluster.Silos[2].KillAsync();
            await Task.Delay(duration - clock.Elapsed);
            await stop.CancelAsync();
            await running;
            var elapsed = clock.Elapsed.TotalSeconds;
            var answered = load.Answers.Count;
            var recovery = load.RecoverySeconds(killedAt);
            Log($"stopped after {elapsed:F1} s; resolving {load.Unresolved} unanswered operations and checking the ledger");
            await load.ResolveUnansweredAsync(CancellationToken.None);
            await using var db = NpgsqlDataSource.Create(connectionString);
            var verdict = await load.CheckAsync(networks[0], db, CancellationToken.None);
            var ledger = await LedgerChecker.ProblemsAsync(connectionString, networks[0].Silo, net.Admin, cancellationToken: CancellationToken.None);
            foreach (var problem in verdict.Problems.Concat(ledger))
            {
                Log("PROBLEM " + problem);
            }

            var failoverEnd = killedAt.AddSeconds(recovery);
            var outside = load.Answers
                .Where(a => a.StartedAt >= started && (a.AnsweredAt < killedAt || a.StartedAt > failoverEnd))
                .Select(a => a.LatencyMs).Order().ToArray();
            var summary = new Dictionary<string, object>
            {
                ["scenario"] = "cluster",
                ["quick"] = quick,
                ["silos"] = 3,
                ["wallets"] = wallets,
                ["workers"] = workers,
                ["seconds"] = Math.Round(elapsed, 1),
                ["ops_per_s"] = Math.Round(answered / elapsed, 1),
                ["acked"] = verdict.Acked,
                ["acked_by_kind"] = Kinds(load.AckedByKind),
                ["answered_by_kind"] = Kinds(load.AnsweredByKind),
                ["taps"] = load.AckedByKind.GetValueOrDefault(ClusterLoad.Kind.Tap),
                ["acked_lost"] = verdict.AckedLost,
                ["double_debits"] = verdict.DoubleDebits,
                ["replay_mismatches"] = verdict.ReplayMismatches,
                ["ledger_clean"] = ledger.Count == 0,
                ["recovery_s"] = Math.Round(recovery, 2),
                ["p50_ms_outside_failover"] = Math.Round(Percentile(outside, 0.50), 1),
                ["p99_ms_outside_failover"] = Math.Round(Percentile(outside, 0.99), 1),
                ["retries"] = load.RetryCauses,
            };
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return verdict.Problems.Count == 0 && ledger.Count == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static Dictionary<string, int> Kinds(IReadOnlyDictionary<ClusterLoad.Kind, int> counts) =>
        Enum.GetValues<ClusterLoad.Kind>().Where(counts.ContainsKey).ToDictionary(k => k.ToString().ToLowerInvariant(), k => counts[k]);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int? IntArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] cluster: {message}");
}

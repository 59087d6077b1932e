using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Bench.Load;
using TiBillet.Grains;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Silo.Database;
using TiBillet.Silo.Hosting;

namespace TiBillet.Bench.Payments;

/// <summary>
/// <c>payments [--quick] [--clients N] [--open-percent P] [--graphql-open-rate R] [--max-wait-ms M] [--grains-only] [--writer-only] [--pg name=value]…</c>: sales through grains and the LedgerWriter (a), through GraphQL (b, hook in
/// <see cref="GraphQLSales"/>), and the naive one-transaction-per-sale SQL design (c), one after the other on the same
/// throwaway PostgreSQL with synchronous_commit=on, every sale crediting the same venue. Then the memory of 100,000
/// activated card wallets. Prints a one-line JSON summary last.
/// </summary>
public static class PaymentsScenario
{
    private const int MemoryWallets = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var clients = ArgValue(args, "--clients") ?? 256;
        var grainsOnly = args.Contains("--grains-only");
        // The issue measures p99 open-loop at half the peak rate; other fractions help tell queueing from fixed costs.
        var openFraction = (ArgValue(args, "--open-percent") ?? 50) / 100.0;
        // For A/B comparisons: the GraphQL open loop at a fixed rate, so two builds' latencies compare at the same load
        // whatever peak each measured.
        var graphQLOpenRate = ArgValue(args, "--graphql-open-rate");
        var (warmUp, measure, cardCount) = quick ? (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 2_000) : (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 10_000);
        var total = Stopwatch.StartNew();
        // Every log line goes to stderr: stdout carries the JSON summary only (the console logger writes from a background
        // queue, so a line logged while the silo stops could otherwise land after the summary).
        using var loggerFactory = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            b.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });

        var folder = Directory.CreateTempSubdirectory("tibillet-bench-pg-").FullName;
        try
        {
            Log("starting PostgreSQL (synchronous_commit=on, fsync=on)");
            await using var postgres = await LocalPostgres.StartAsync(
                new LocalPostgresOptions
                {
                    DataDirectory = Path.Combine(folder, "data"),
                    Database = "bench",
                    Settings = ServerSettings(args),
                },
                loggerFactory.CreateLogger<LocalPostgres>());
            Log("PostgreSQL started; starting the silo");
            // The real silo process (Orleans + GraphQL endpoint) on this server, as `dotnet run --project src/Silo` would run it.
            var httpPort = FreePort();
            var maxWaitMs = ArgValue(args, "--max-wait-ms");
            await using var silo = await TiBilletSiloHost.CreateAsync([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:TiBillet"] = postgres.ConnectionString("bench"),
                    ["Urls"] = $"http://127.0.0.1:{httpPort}",
                    ["SiloHostingOptions:ClusterId"] = "bench",
                    ["SiloHostingOptions:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                    ["BootstrapOptions:AdminEmail"] = GraphQLSales.AdminEmail,
                    ["BootstrapOptions:AdminSecret"] = GraphQLSales.AdminSecret,
                    ["DemoSeedOptions:Enabled"] = "false",
                });
                builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
                builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Environment.EnvironmentName = Environments.Production;
                if (maxWaitMs is { } ms)
                {
                    builder.Services.Configure<LedgerWriterOptions>(o => o.MaxWait = TimeSpan.FromMilliseconds(ms));
                }
            });
            var host = silo.App;
            var database = silo.Database;
            Log("silo created (database migrated); starting it");
            await host.StartAsync();
            Log("silo started");
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var writer = host.Services.GetRequiredService<LedgerWriter>();
            // The writer's batches, commits and busy time, as its meter (LedgerMetrics) publishes them.
            using var meters = new LedgerMetricsListener(writer.WriterId);
            var cardWallets = host.Services.GetRequiredService<CardWallets>();

            if (args.Contains("--writer-only"))
            {
                await WriterOnlyAsync(writer, meters, clients, measure);
                await host.StopAsync();
                return 0;
            }

            // (a) sales through grains and the LedgerWriter.
            Log($"setting up a venue and {cardCount} funded cards");
            var venue = new VenueId("bench-venue");
            await grains.GetVenue(venue).CreateAsync(new CreateVenueRequest("Bench venue"));
            var tlf = await grains.GetVenue(venue).AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TLF, "Euro local"));
            var cards = await RegisterCardsAsync(grains, cardCount, "sales");
            var cashier = cards[0];
            await grains.GetCard(cashier).GrantCashierAsync(venue);
            await ForEachAsync(cards, 128, async (card, i) =>
            {
                var refill = await grains.GetCard(card).RefillAsync(new RefillRequest(new IdempotencyKey("fund-" + card.Value), venue, cashier, 100_000_000_000, PaymentMeans.Cash, tlf.Id));
                Check(refill.Approved, "funding refill declined");
            });

            ImmutableArray<SaleLine> basket = [new SaleLine("Bière", 1, 100)];
            var run = Guid.NewGuid().ToString("N")[..8];
            async Task<bool> SaleAsync(string phase, long i)
            {
                // Cards in turn, as at a festival, where a card is in one hand at one till: drawn at random, 256 sales in
                // flight over 2,000 cards put one in eight on a card already paying, queued behind that sale's commit.
                var card = cards[1 + (int)(i % (cards.Length - 1))];
                // As the API and the tills pay: the one-card door, at the card's own wallet grain.
                var result = await (await cardWallets.OwnWalletAsync(card)).PayWithCardAsync(new SaleRequest(new IdempotencyKey($"{run}-{phase}-{i}"), venue, cashier, basket), card);
                return result.Approved;
            }

            // Start each measured part from a clean heap (as benchmark harnesses do between runs), so the set-up's
            // garbage is not collected during the measurement.
            LoadGenerator.FullCollection();
            var cpuRun0 = CpuSample.Take();
            var measured = Stopwatch.StartNew();
            Log($"grains: warm-up {warmUp.TotalSeconds:0}s, then closed loop with {clients} clients for {measure.TotalSeconds:0}s");
            // verifyLedger while sales commit: started with the warm-up's load, awaited before the measurement.
            var verifying = host.Services.GetRequiredService<LedgerVerifier>().VerifyAsync();
            await LoadGenerator.ClosedLoopAsync(clients, warmUp, i => SaleAsync("w", i));
            var verified = await verifying;
            Log($"verifyLedger under load: clean {verified.Clean}, {verified.Transactions} transactions, {verified.Links} links, {verified.Mismatches.Length} mismatches");
            var writer0 = WriterSample.Take(meters);
            var cpu0 = CpuSample.Take();
            var grainPeak = await LoadGenerator.ClosedLoopAsync(clients, measure, i => SaleAsync("p", i));
            var cpu = CpuSample.Take() - cpu0;
            var peakWriter = WriterSample.Take(meters) - writer0;
            Log($"grains: {cpu.Describe(grainPeak.Seconds)} (PostgreSQL: all postgres processes on the machine)");
            Log($"grains: {grainPeak.PerSecond:0}/s peak ({grainPeak.Failed} failed), {peakWriter.Describe(grainPeak.Seconds)}; open loop at {grainPeak.PerSecond * openFraction:0}/s");
            using var gcLog = args.Contains("--gc-events") ? new GcEventLog() : null;
            gcLog?.Recording = true;
            LoadGenerator.FullCollection();
            var gc0 = GcSample.Take();
            writer0 = WriterSample.Take(meters);
            var cpuOpen0 = CpuSample.Take();
            var grainHalf = await LoadGenerator.OpenLoopAsync(grainPeak.PerSecond * openFraction, measure, i => SaleAsync("o", i));
            var cpuOpen = CpuSample.Take() - cpuOpen0;
            Log($"grains: open loop p50 {grainHalf.Percentile(50):0.0} ms, p90 {grainHalf.Percentile(90):0.0} ms, p99 {grainHalf.Percentile(99):0.0} ms, max {grainHalf.Percentile(100):0.0} ms ({grainHalf.Failed} failed), generator start lag p99 {LoadResult.Percentile(grainHalf.StartLagMs, 99):0.0} ms");
            Log($"grains: open loop requests over 20 ms, by scheduled time: {grainHalf.SlowRequestTimes(20)}");
            Log($"grains: open loop {cpuOpen.Describe(grainHalf.Seconds)}; {GcSample.Take() - gc0}; {GcSample.LastEphemeral()}");
            Log($"grains: open loop {(WriterSample.Take(meters) - writer0).Describe(grainHalf.Seconds)}");
            gcLog?.Recording = false;
            gcLog?.Dump(Console.Error);

            // (b) GraphQL over HTTP: provided by the API side through this hook.
            LoadGenerator.FullCollection();
            var graphQL = await GraphQLSales.RunAsync(new GraphQLSales.Context(new Uri($"http://127.0.0.1:{httpPort}/graphql"), venue.Value, cashier.Value, [.. cards.Skip(1).Select(c => c.Value)], meters, warmUp, measure, openFraction, args.Contains("--gc-events"), graphQLOpenRate));

            if (grainsOnly)
            {
                // Service time with no queueing: one client, one sale at a time.
                var single = await LoadGenerator.ClosedLoopAsync(1, TimeSpan.FromSeconds(2), i => SaleAsync("s", i));
                Log($"grains: one client: {single.PerSecond:0}/s, p50 {single.Percentile(50):0.00} ms, p99 {single.Percentile(99):0.00} ms");
                                var direct = await LoadGenerator.ClosedLoopAsync(1, TimeSpan.FromSeconds(2), async i =>
                {
                    var w = cards[1 + (int)(i % (cards.Length - 1))];
                    var entry = new LedgerEntry(Guid.CreateVersion7(), new IdempotencyKey($"{run}-d-{i}"), new byte[32], TransactionKind.Creation,
                        [new LedgerLine(tlf.Id, 1, tlf.MintWallet, WalletId.OfVenue(venue))], [], [0]);
                    return (await writer.SubmitAsync(entry)).Status == LedgerCommitStatus.Committed;
                });
                Log($"writer alone, one client: {direct.PerSecond:0}/s, p50 {direct.Percentile(50):0.00} ms, p99 {direct.Percentile(99):0.00} ms");
                await host.StopAsync();
                return 0;
            }

            await LogLedgerStorageAsync(database.DataSource, meters.Totals.Operations);

            // (c) the naive SQL design, 32 clients, same server.
            LoadGenerator.FullCollection();
            Log($"SQL baseline: {SqlBaseline.Clients} clients for {measure.TotalSeconds:0}s");
            // As a venue's app would run it: Npgsql with its default connection settings, on the same server.
            LoadResult sql;
            await using (var plain = NpgsqlDataSource.Create(postgres.ConnectionString("bench")))
            {
                sql = await SqlBaseline.RunAsync(plain, cardCount, TimeSpan.FromSeconds(1), measure);
            }

            var cpuRun = CpuSample.Take() - cpuRun0;
            Log($"SQL baseline: {sql.PerSecond:0}/s ({sql.Failed} failed), p99 {sql.Percentile(99):0.0} ms");
            Log($"the three parts, warm-ups included: {cpuRun.Describe(measured.Elapsed.TotalSeconds)}");

            // Memory with 100,000 activated card wallets.
            Log($"activating {MemoryWallets} card wallets");
            var phase = Stopwatch.StartNew();
            var walletIds = await RegisterWalletsAsync(grains, database.DataSource, MemoryWallets);
            Log($"registered {MemoryWallets} cards in {phase.Elapsed.TotalSeconds:0.0}s");
            phase.Restart();
            var cpuActivate0 = CpuSample.Take();
            await ForEachAsync(walletIds, 512, async (wallet, _) => await grains.GetWallet(wallet).GetDetailsAsync());
            var cpuActivate = CpuSample.Take() - cpuActivate0;
            Log($"activated {MemoryWallets} wallets in {phase.Elapsed.TotalSeconds:0.0}s ({cpuActivate.Describe(phase.Elapsed.TotalSeconds)})");
            LoadGenerator.FullCollection();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var rssMb = process.WorkingSet64 / (1024.0 * 1024.0);
            Log($"RSS with {MemoryWallets} wallets: {rssMb:0} MiB (managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024.0):0} MiB); total {total.Elapsed.TotalSeconds:0}s");

            // The figures are taken: stop without deactivating 100,000 grains one by one (nothing of theirs is pending).
            var stopping = Stopwatch.StartNew();
            using (var fast = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            {
                await host.StopAsync(fast.Token);
            }

            Log($"silo stopped in {stopping.Elapsed.TotalSeconds:0.0}s");

            var summary = new Dictionary<string, object?>
            {
                ["scenario"] = "payments",
                ["quick"] = quick,
                ["grain_per_s"] = Round(grainPeak.PerSecond),
                ["graphql_per_s"] = graphQL is { } g ? Round(g.Peak.PerSecond) : null,
                ["sql_baseline_per_s"] = Round(sql.PerSecond),
                ["grain_vs_sql"] = Round(grainPeak.PerSecond / sql.PerSecond, 2),
                ["graphql_vs_sql"] = graphQL is { } g2 ? Round(g2.Peak.PerSecond / sql.PerSecond, 2) : null,
                ["grain_p99_ms"] = Round(grainHalf.Percentile(99), 2),
                ["graphql_p99_ms"] = graphQL is { } g3 ? Round(g3.HalfPeak.Percentile(99), 2) : null,
                ["rss_mb_100k_wallets"] = Round(rssMb),
                ["grain_clients"] = clients,
                ["grain_avg_batch"] = Round(peakWriter.AverageBatch, 1),
                ["grain_writer_busy"] = Round(peakWriter.BusyShare(grainPeak.Seconds), 2),
                ["grain_failed"] = grainPeak.Failed + grainHalf.Failed,
                ["verify_clean"] = verified.Clean,
                ["sql_clients"] = SqlBaseline.Clients,
                ["cpus"] = Environment.ProcessorCount,
                // The hypervisor's steal, in % of the machine: a run it disturbed shows here rather than as a mystery.
                ["steal_pct"] = Round(cpuRun.StolenShare(measured.Elapsed.TotalSeconds) * 100, 1),
                ["grain_open_steal_pct"] = Round(cpuOpen.StolenShare(grainHalf.Seconds) * 100, 1),
                ["graphql_open_steal_pct"] = graphQL is { } g4 ? Round(g4.HalfPeakCpu.StolenShare(g4.HalfPeak.Seconds) * 100, 1) : null,
            };
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>
    /// What the ledger's tables and indexes take per committed entry: new table pages are written through the OS cache
    /// and flushed in bursts, so this is what a disk sees from sales.
    /// </summary>
    private static async Task LogLedgerStorageAsync(NpgsqlDataSource dataSource, long entries)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relkind IN ('r', 'i') AND relname LIKE 'ledger%' "
            + "UNION ALL SELECT '(WAL since start)', (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint ORDER BY 2 DESC");
        await using var reader = await command.ExecuteReaderAsync();
        var sizes = new List<(string Name, long Bytes)>();
        while (await reader.ReadAsync())
        {
            sizes.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        var perEntry = (double)sizes.Where(r => !r.Name.StartsWith('(')).Sum(r => r.Bytes) / Math.Max(1, entries);
        Log($"ledger storage: {perEntry:0} table and index bytes per committed entry ({entries} entries); "
            + string.Join(", ", sizes.Where(r => r.Bytes > 0).Select(r => $"{r.Name} {r.Bytes / (double)Math.Max(1, entries):0}")));
    }

    /// <summary>The server settings of the run: durable commits, plus any <c>--pg name=value</c> given (for experiments).</summary>
    private static Dictionary<string, string> ServerSettings(string[] args)
    {
        var settings = new Dictionary<string, string> { ["synchronous_commit"] = "on", ["fsync"] = "on", ["max_connections"] = "200" };
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--pg" && args[i + 1].Split('=', 2) is [var name, var value])
            {
                settings[name] = value;
            }
        }

        return settings;
    }

    /// <summary>The LedgerWriter alone (no grains): what the database path sustains, for tuning.</summary>
    private static async Task WriterOnlyAsync(LedgerWriter writer, LedgerMetricsListener meters, int clients, TimeSpan measure)
    {
        var asset = AssetId.New();
        var venueWallet = WalletId.New();
        var wallets = Enumerable.Range(0, clients).Select(_ => WalletId.New()).ToArray();
        var seqs = new long[clients];
        var result = new byte[200];
        for (var c = 0; c < clients; c++)
        {
            await writer.SubmitAsync(new LedgerEntry(Guid.CreateVersion7(), new IdempotencyKey("seed-" + c), new byte[32], TransactionKind.Refill,
                [new LedgerLine(asset, 1_000_000_000, WalletId.MintOf(asset), wallets[c])], [new WalletSequence(wallets[c], ++seqs[c])], result));
        }

        var writer0 = WriterSample.Take(meters);
        var clock = Stopwatch.StartNew();
        var cpu0 = CpuSample.Take();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            while (clock.Elapsed < measure)
            {
                var seq = ++seqs[c];
                await writer.SubmitAsync(new LedgerEntry(Guid.CreateVersion7(), new IdempotencyKey($"w-{c}-{seq}"), new byte[32], TransactionKind.Sale,
                    [new LedgerLine(asset, 100, wallets[c], venueWallet)], [new WalletSequence(wallets[c], seq)], result, new VenueId("bench-venue"), null));
            }
        })));
        var sample = WriterSample.Take(meters) - writer0;
        var cpu = CpuSample.Take() - cpu0;
        Log($"writer only: {cpu.Describe(clock.Elapsed.TotalSeconds)}");
        var phases = meters.Totals;
        Log($"writer phases (s): claim {phases.Claim.TotalSeconds:0.00}, build {phases.Build.TotalSeconds:0.00}, write {phases.Write.TotalSeconds:0.00}, commit {phases.Commit.TotalSeconds:0.00}");
        Log($"writer only: {sample.Entries / clock.Elapsed.TotalSeconds:0}/s, {sample.Describe(clock.Elapsed.TotalSeconds)}");

        // Open loop at half that rate: each operation borrows a wallet (its sequence numbers stay in order) and returns it.
        var free = new System.Collections.Concurrent.ConcurrentQueue<int>(Enumerable.Range(0, clients));
        var rate = sample.Entries / clock.Elapsed.TotalSeconds / 2;
        var gc0 = GcSample.Take();
        var open = await LoadGenerator.OpenLoopAsync(rate, measure, async i =>
        {
            if (!free.TryDequeue(out var c))
            {
                return false;
            }

            try
            {
                var seq = ++seqs[c];
                var commit = await writer.SubmitAsync(new LedgerEntry(Guid.CreateVersion7(), new IdempotencyKey($"o-{c}-{seq}"), new byte[32], TransactionKind.Sale,
                    [new LedgerLine(asset, 100, wallets[c], venueWallet)], [new WalletSequence(wallets[c], seq)], result, new VenueId("bench-venue"), null));
                return commit.Status == LedgerCommitStatus.Committed;
            }
            finally
            {
                free.Enqueue(c);
            }
        });
        Log($"writer only, open loop at {rate:0}/s: p50 {open.Percentile(50):0.0} ms, p90 {open.Percentile(90):0.0} ms, p99 {open.Percentile(99):0.0} ms ({open.Failed} failed: no free wallet); {GcSample.Take() - gc0}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<CardUid[]> RegisterCardsAsync(IGrainFactory grains, int count, string batch)
    {
        var uids = new List<CardUid>(count);
        for (var offset = 0; offset < count; offset += CardRegistryGrain.MaxCards)
        {
            var n = Math.Min(CardRegistryGrain.MaxCards, count - offset);
            var cards = Enumerable.Range(offset, n).Select(i =>
            {
                var uid = Convert.ToHexString(Guid.NewGuid().ToByteArray()[..7]);
                return new NewCard(uid, (batch[0] + i.ToString("D7", CultureInfo.InvariantCulture)).ToUpperInvariant(), batch + "-" + uid);
            }).ToImmutableArray();
            var report = await grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest(batch, cards));
            Check(report.Errors.IsEmpty, "card registration failed: " + string.Join("; ", report.Errors.Take(3).Select(e => e.Message)));
            uids.AddRange(cards.Select(c => new CardUid(c.Uid)));
        }

        return [.. uids];
    }

    private static async Task<WalletId[]> RegisterWalletsAsync(IGrainFactory grains, NpgsqlDataSource db, int count)
    {
        await RegisterCardsAsync(grains, count, "memory");
        var ids = new List<WalletId>(count);
        await using var cmd = db.CreateCommand("SELECT card_wallet FROM cards WHERE batch = 'memory'");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(new WalletId(reader.GetGuid(0)));
        }

        return [.. ids];
    }

    private static Task ForEachAsync<T>(IReadOnlyList<T> items, int parallelism, Func<T, int, Task> body) =>
        Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) => await body(items[i], i));

    private static int? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static double Round(double value, int digits = 0) => Math.Round(value, digits);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");
}

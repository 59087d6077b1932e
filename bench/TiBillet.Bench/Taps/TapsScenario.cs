using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TiBillet.PcscRig;
using TiBillet.ReaderAgent;
using TiBillet.ReaderAgent.Pcsc;
using TiBillet.ReaderAgent.Taps;
using TiBillet.Silo.Database;
using TiBillet.Silo.Hosting;

namespace TiBillet.Bench.Taps;

/// <summary>
/// <c>taps [--quick]</c>: the whole tap path with nothing simulated but the cards. Virtual cards on both vpcd readers →
/// the real pcscd (started and stopped here) → two reader agents (one device and point of sale per reader, in this
/// process so their <see cref="ITapObserver"/> gives each tap's latency from the UID read to the result) → GraphQL over
/// HTTP → point-of-sale, card and wallet grains → ledger commit in PostgreSQL (synchronous_commit=on). Each reader loop:
/// the screen requests a payment, the card is placed, the agent's result awaited, the card lifted and its removal
/// awaited from pcscd; both readers at once, as fast as pcscd reports the cards, capped at <see cref="MaxRate"/> taps/s in
/// total. Prints a one-line JSON summary last.
/// </summary>
public static class TapsScenario
{
    /// <summary>The cap over both readers (each reader at most half of it).</summary>
    public const double MaxRate = 20;

    private const string AdminEmail = "bench@bench.localhost";
    private const long Price = 250;
    private const int CardsPerReader = 25;
    private static readonly TimeSpan TapTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var (warmUp, measure) = quick ? (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)) : (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));
        string[] readers = [PcscDaemonProcess.FirstReader, PcscDaemonProcess.SecondReader];

        Log("starting pcscd with the vpcd virtual readers");
        await using var pcscd = new PcscDaemonProcess();
        await pcscd.InitializeAsync();
        var folder = Directory.CreateTempSubdirectory("tibillet-bench-taps-").FullName;
        try
        {
            Log("starting PostgreSQL (synchronous_commit=on, fsync=on) and the silo");
            using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
            await using var postgres = await LocalPostgres.StartAsync(
                new LocalPostgresOptions
                {
                    DataDirectory = Path.Combine(folder, "data"),
                    Database = "bench",
                    Settings = new() { ["synchronous_commit"] = "on", ["fsync"] = "on" },
                },
                loggerFactory.CreateLogger<LocalPostgres>());
            await postgres.CreateDatabaseIfMissingAsync("bench");
            var adminSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            await using var silo = await TiBilletSiloHost.CreateAsync([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:TiBillet"] = postgres.ConnectionString("bench"),
                ["Urls"] = "http://127.0.0.1:0",
                ["SiloHostingOptions:ClusterId"] = "bench-taps",
                ["SiloHostingOptions:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["BootstrapOptions:AdminEmail"] = AdminEmail,
                ["BootstrapOptions:AdminSecret"] = adminSecret,
                ["DemoSeedOptions:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                // stdout carries only the summary line.
                ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
            }));
            await silo.App.StartAsync();
            var graphQLUri = new Uri(new Uri(silo.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/graphql");

            using var api = new BenchGraphQLClient(graphQLUri);
            var network = await SetUpAsync(api, adminSecret, readers.Length);
            var observers = readers.Select(_ => new TapLatencyObserver()).ToArray();
            var agents = new List<IHost>();
            try
            {
                for (var i = 0; i < readers.Length; i++)
                {
                    agents.Add(await StartAgentAsync(graphQLUri, network.DeviceKeys[i], readers[i], observers[i]));
                }

                Log($"tapping on {readers.Length} readers: warm-up {warmUp.TotalSeconds:0}s, then {measure.TotalSeconds:0}s, at most {MaxRate:0} taps/s in total");
                var clock = Stopwatch.StartNew();
                var runs = await Task.WhenAll(readers.Select((reader, i) =>
                    RunReaderAsync(api, network, i, reader, observers[i], clock, warmUp, warmUp + measure)));

                var latencies = runs.SelectMany(r => r.LatenciesMs).Order().ToArray();
                var cycles = runs.SelectMany(r => r.CyclesMs).Order().ToArray();
                var detections = runs.SelectMany(r => r.DetectionsMs).Order().ToArray();
                var removals = runs.SelectMany(r => r.RemovalsMs).Order().ToArray();
                var approved = runs.Sum(r => r.Approved);
                var failed = runs.Sum(r => r.Failed);
                var retried = runs.Sum(r => r.Retried);
                var rate = (approved + failed) / measure.TotalSeconds;
                Log($"{approved + failed} taps ({failed} not approved, {retried} retried) at {rate:0.0}/s; UID read → result p50 {Percentile(latencies, 50):0.0} ms, "
                    + $"p99 {Percentile(latencies, 99):0.0} ms, max {latencies.LastOrDefault():0.0} ms; cycle p50 {Percentile(cycles, 50):0} ms, of which pcscd took "
                    + $"{Percentile(detections, 50):0} ms to report the card and {Percentile(removals, 50):0} ms to report it lifted");

                var summary = new Dictionary<string, object?>
                {
                    ["scenario"] = "taps",
                    ["quick"] = quick,
                    ["readers"] = readers.Length,
                    ["seconds"] = measure.TotalSeconds,
                    ["taps"] = approved + failed,
                    ["approved"] = approved,
                    ["failed"] = failed,
                    ["retried"] = retried,
                    ["rate_per_s"] = Math.Round(rate, 1),
                    ["rate_cap_per_s"] = MaxRate,
                    ["tap_p50_ms"] = Math.Round(Percentile(latencies, 50), 1),
                    ["tap_p99_ms"] = Math.Round(Percentile(latencies, 99), 1),
                    ["tap_max_ms"] = Math.Round(latencies.LastOrDefault(), 1),
                    ["cycle_p50_ms"] = Math.Round(Percentile(cycles, 50), 0),
                    ["pcscd_detect_p50_ms"] = Math.Round(Percentile(detections, 50), 0),
                    ["pcscd_removal_p50_ms"] = Math.Round(Percentile(removals, 50), 0),
                    ["cpus"] = Environment.ProcessorCount,
                };
                foreach (var agent in agents)
                {
                    await agent.StopAsync();
                }

                await silo.App.StopAsync();
                Console.WriteLine(JsonSerializer.Serialize(summary));
                return failed == 0 ? 0 : 1;
            }
            finally
            {
                foreach (var agent in agents)
                {
                    agent.Dispose();
                }
            }
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
    /// One reader's loop. Latencies are the agent's own (UID read → result); taps that start before
    /// <paramref name="measureFrom"/> warm up and are not counted.
    /// </summary>
    private static async Task<ReaderRun> RunReaderAsync(
        BenchGraphQLClient api, BenchNetwork network, int index, string reader, TapLatencyObserver observer, Stopwatch clock, TimeSpan measureFrom, TimeSpan end)
    {
        var run = new ReaderRun();
        var minInterval = TimeSpan.FromSeconds(network.DeviceKeys.Count / MaxRate);
        await using var card = new VirtualCard(index);

        // The cashier card opens this reader's till first.
        var opened = await TapAsync(card, network.Cashier, observer);
        if (opened.Completed.Result?.Outcome != TapOutcomes.TillOpened)
        {
            throw new InvalidOperationException($"{reader}: the cashier card did not open the till ({opened.Completed.Result?.Outcome ?? opened.Completed.ErrorCode}).");
        }

        var next = clock.Elapsed;
        for (var i = 0; clock.Elapsed < end; i++)
        {
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed); // the rate cap, not a wait for something to happen
            }

            var started = clock.Elapsed;
            next = started + minInterval;
            await api.PostAsync(
                "mutation($i: RequestPaymentInput!) { requestPayment(input: $i) { pendingRequest { id } } }",
                new { i = new { venueId = network.Venue, pointOfSaleId = network.PointsOfSale[index], lines = new[] { new { label = "Bière", quantity = 1, unitPrice = Price } } } });
            var customer = network.Customers[index][i % network.Customers[index].Count];
            var cycle = await TapAsync(card, customer, observer);
            var completed = cycle.Completed;
            if (started < measureFrom)
            {
                continue;
            }

            run.LatenciesMs.Add(completed.Latency.TotalMilliseconds);
            run.CyclesMs.Add(cycle.Total.TotalMilliseconds);
            run.DetectionsMs.Add(cycle.Detection.TotalMilliseconds);
            run.RemovalsMs.Add(cycle.Removal.TotalMilliseconds);
            run.Retried += completed.Attempts > 1 ? 1 : 0;
            if (completed.Result?.Outcome == TapOutcomes.Approved)
            {
                run.Approved++;
            }
            else
            {
                run.Failed++;
                Log($"{reader}: tap {completed.Tap.TapId} ended {completed.Result?.Outcome ?? completed.ErrorCode}");
            }
        }

        return run;
    }

    /// <summary>Places the card, awaits the agent's result, lifts the card and awaits pcscd's report of the empty reader.</summary>
    private static async Task<TapCycle> TapAsync(VirtualCard card, string uid, TapLatencyObserver observer)
    {
        var placed = Stopwatch.GetTimestamp();
        await card.PlaceAsync(uid, CancellationToken.None);
        var completed = await observer.NextAsync(TapTimeout);
        var lifted = Stopwatch.GetTimestamp();
        await card.RemoveAsync(); // returns once pcscd reports the reader empty
        return new TapCycle(
            completed,
            Stopwatch.GetElapsedTime(placed, completed.Tap.ReadTimestamp),
            Stopwatch.GetElapsedTime(lifted),
            Stopwatch.GetElapsedTime(placed));
    }

    /// <summary>A venue with its TLF, a cashier card, funded customer cards, and one point of sale and device per reader, all through GraphQL.</summary>
    private static async Task<BenchNetwork> SetUpAsync(BenchGraphQLClient api, string adminSecret, int readers)
    {
        Log($"setting up a venue, {readers} points of sale and devices, {readers * CardsPerReader} funded cards through GraphQL");
        var login = await api.PostAsync("mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }", new { e = AdminEmail, s = adminSecret });
        api.Authorization = "Bearer " + login["login"]!["token"]!.GetValue<string>();
        const string venue = "bench-taps";
        await api.PostAsync("mutation($v: ID!) { createVenue(id: $v, name: \"Bench taps\") { id } }", new { v = venue });
        await api.PostAsync("mutation($v: ID!) { addAsset(venueId: $v, kind: TLF, name: \"Euro local\") { id } }", new { v = venue });

        var uids = Enumerable.Range(0, 1 + (readers * CardsPerReader)).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(4))).ToArray();
        var cards = uids.Select((uid, i) => new { uid, number = "T" + i.ToString("D7", CultureInfo.InvariantCulture), qrId = "bench-" + uid }).ToArray();
        var report = await api.PostAsync("mutation($c: [NewCardInput!]!) { registerCards(batch: \"bench\", cards: $c) { registered } }", new { c = cards });
        if (report["registerCards"]!["registered"]!.GetValue<int>() != uids.Length)
        {
            throw new InvalidOperationException("Card registration failed: " + report.ToJsonString());
        }

        var cashier = uids[0];
        await api.PostAsync("mutation($v: ID!, $u: String!) { grantCashierCard(venueId: $v, uid: $u) { uid } }", new { v = venue, u = cashier });
        foreach (var customer in uids.Skip(1))
        {
            var refill = await api.PostAsync(
                "mutation($k: String!, $v: ID!, $c: String!, $card: String!) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: 100000000, means: CASH) { approved } }",
                new { k = "bench-fund-" + customer, v = venue, c = cashier, card = customer });
            if (!refill["refill"]!["approved"]!.GetValue<bool>())
            {
                throw new InvalidOperationException("Funding refill declined.");
            }
        }

        var pointsOfSale = new List<string>();
        var keys = new List<string>();
        var customers = new List<IReadOnlyList<string>>();
        for (var i = 0; i < readers; i++)
        {
            var pointOfSale = "till-" + i.ToString(CultureInfo.InvariantCulture);
            await api.PostAsync("mutation($i: CreatePointOfSaleInput!) { createPointOfSale(input: $i) { pointOfSaleId } }",
                new { i = new { venueId = venue, pointOfSaleId = pointOfSale, name = "Till " + i.ToString(CultureInfo.InvariantCulture) } });
            var device = await api.PostAsync("mutation($v: ID!, $p: ID!) { registerDevice(venueId: $v, pointOfSaleId: $p, name: \"Bench reader\") { key } }",
                new { v = venue, p = pointOfSale });
            pointsOfSale.Add(pointOfSale);
            keys.Add(device["registerDevice"]!["key"]!.GetValue<string>());
            customers.Add(uids.Skip(1 + (i * CardsPerReader)).Take(CardsPerReader).ToArray());
        }

        return new BenchNetwork(venue, cashier, pointsOfSale, keys, customers);
    }

    /// <summary>A reader agent as Program.cs wires it, in this process, watching one reader for one device.</summary>
    private static async Task<IHost> StartAgentAsync(Uri graphQLUri, string deviceKey, string reader, TapLatencyObserver observer)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReaderAgent:ServerUrl"] = graphQLUri.ToString(),
            ["ReaderAgent:DeviceKey"] = deviceKey,
            ["ReaderAgent:ReaderNameFilter"] = reader,
            ["ReaderAgent:Beep"] = "false",
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<ITapObserver>(observer);
        builder.Services.AddReaderAgent();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");

    private sealed record BenchNetwork(
        string Venue, string Cashier, IReadOnlyList<string> PointsOfSale, IReadOnlyList<string> DeviceKeys, IReadOnlyList<IReadOnlyList<string>> Customers);

    /// <summary>One tap's timings: card placed → UID read (pcscd's detection), lifted → reported empty, and the whole cycle.</summary>
    private sealed record TapCycle(TapCompleted Completed, TimeSpan Detection, TimeSpan Removal, TimeSpan Total);

    private sealed class ReaderRun
    {
        public List<double> LatenciesMs { get; } = [];

        public List<double> CyclesMs { get; } = [];

        public List<double> DetectionsMs { get; } = [];

        public List<double> RemovalsMs { get; } = [];

        public int Approved { get; set; }

        public int Failed { get; set; }

        public int Retried { get; set; }
    }
}

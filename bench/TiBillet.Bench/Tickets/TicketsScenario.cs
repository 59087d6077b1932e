using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Events;
using EventId = TiBillet.Grains.Events.EventId;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Silo.Database;
using TiBillet.Silo.Hosting;

namespace TiBillet.Bench.Tickets;

/// <summary>
/// <c>tickets [--quick] [--clients N]</c>: one event of 5,000 seats, 20,000 customers reserving and paying from their
/// wallets at once through the real silo host (event grain, reservation group commit, wallet grains, ledger writer),
/// on a throwaway PostgreSQL with synchronous_commit=on; every confirmation is committed before it is answered. Then the
/// agenda query over HTTP with 10,000 published events. Prints a one-line JSON summary last.
/// </summary>
public static class TicketsScenario
{
    private const int Capacity = 5_000;
    private const int AgendaEvents = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var customers = quick ? 20_000 : 40_000;
        var clients = ArgValue(args, "--clients") ?? 1_000;
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
                    Settings = new Dictionary<string, string> { ["synchronous_commit"] = "on", ["fsync"] = "on", ["max_connections"] = "200" },
                },
                loggerFactory.CreateLogger<LocalPostgres>());
            var httpPort = FreePort();
            await using var silo = await TiBilletSiloHost.CreateAsync([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:TiBillet"] = postgres.ConnectionString("bench"),
                    ["Urls"] = $"http://127.0.0.1:{httpPort}",
                    ["SiloHostingOptions:ClusterId"] = "bench",
                    ["SiloHostingOptions:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                    ["BootstrapOptions:AdminEmail"] = "bench-admin@bench.localhost",
                    ["BootstrapOptions:AdminSecret"] = "bench-admin-secret-0123456789",
                    ["DemoSeedOptions:Enabled"] = "false",
                });
                builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
                builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Environment.EnvironmentName = Environments.Production;
            });
            await silo.App.StartAsync();
            var grains = silo.App.Services.GetRequiredService<IGrainFactory>();
            var store = silo.App.Services.GetRequiredService<CustomerStore>();
            var dataSource = silo.Database.DataSource;

            Log($"setting up a venue and {customers} funded customer wallets");
            var venue = new VenueId("bench-venue");
            await grains.GetVenue(venue).CreateAsync(new CreateVenueRequest("Bench venue"));
            var tlf = await grains.GetVenue(venue).AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TLF, "Euro local"));
            var emails = Enumerable.Range(0, customers).Select(i => new EmailAddress($"c{i}@bench.localhost")).ToArray();
            var wallets = new WalletId[customers];
            await ForEachAsync(customers, 128, async i =>
            {
                wallets[i] = await store.EnsureUserWalletAsync(emails[i]);
                var issued = await grains.GetWallet(wallets[i]).IssueAsync(new IssueRequest(new IdempotencyKey("fund-" + i), tlf.Id, 10_000));
                Check(issued.Approved, "funding declined");
            });

            var start = DateTimeOffset.UtcNow.AddDays(7);
            var eventId = EventId.New();
            var evt = grains.GetEvent(eventId);
            await evt.CreateAsync(venue, new EventDefinition("Bench night", "", start, start.AddHours(4), "Europe/Paris", ["bench"], null, Capacity, false, false,
                [new EventPrice("full", "Plein", PriceKind.Fixed, 1_000, null, 2, null, null)]));
            await evt.PublishAsync();

            Log($"rush: {customers} customers, {clients} at a time, reserve then pay from their wallet");
            var reserveMs = new ConcurrentBag<double>();
            long confirmed = 0, soldOut = 0, failed = 0;
            long lastConfirmTicks = 0;
            var rush = Stopwatch.StartNew();
            await ForEachAsync(customers, clients, async i =>
            {
                try
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var held = await evt.ReserveAsync(new ReserveRequest(emails[i], new IdempotencyKey("bench-" + i), [new SeatRequest("full")]));
                    reserveMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    var done = await evt.ConfirmAsync(new ConfirmRequest(held.Id, ConfirmMeans.Wallet, emails[i], wallets[i], null, null));
                    if (done.State == ReservationState.Confirmed)
                    {
                        Interlocked.Increment(ref confirmed);
                        Interlocked.Exchange(ref lastConfirmTicks, rush.ElapsedTicks);
                    }
                }
                catch (DomainException e) when (e.Code == ErrorCodes.SoldOut)
                {
                    Interlocked.Increment(ref soldOut);
                }
                catch (DomainException)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            rush.Stop();
            var confirmSeconds = TimeSpan.FromTicks(lastConfirmTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds;
            var sold = await ScalarAsync(dataSource, "SELECT count(*) FROM tickets WHERE event_id = $1", eventId.Value);
            var paid = await ScalarAsync(dataSource, "SELECT count(*) FROM ledger_operations WHERE kind = 10");
            Log($"rush: {confirmed} confirmed in {confirmSeconds:0.0} s ({rush.Elapsed.TotalSeconds:0.0} s in all), {soldOut} sold out, {failed} failed; tickets {sold}, ledger sales {paid}");

            Log($"agenda: {AgendaEvents} published events");
            await using (var cmd = dataSource.CreateCommand(
                """
                INSERT INTO events (event_id, venue_id, state, title, description, starts_at, ends_at, time_zone, tags, capacity, prices)
                SELECT gen_random_uuid(), 'v' || (i % 50), 1, 'Event ' || i || (ARRAY['jazz night','rock show','poetry reading','theatre','cinema'])[1 + i % 5],
                       'Description of event ' || i, now() + i * interval '37 minutes', now() + i * interval '37 minutes' + interval '2 hours', 'Europe/Paris',
                       ARRAY[(ARRAY['jazz','rock','words','stage','film'])[1 + i % 5], (ARRAY['free','family','late'])[1 + i % 3]], 100, '[]'
                FROM generate_series(1, $1) AS i
                """))
            {
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AgendaEvents });
                await cmd.ExecuteNonQueryAsync();
            }

            await using (var analyze = dataSource.CreateCommand("ANALYZE events"))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            var agendaMs = await AgendaAsync(new Uri($"http://127.0.0.1:{httpPort}/graphql"), quick ? 1_000 : 5_000);
            await silo.App.StopAsync();

            var summary = new
            {
                scenario = "tickets",
                customers,
                clients,
                capacity = Capacity,
                sold,
                oversold = Math.Max(0, sold - Capacity),
                confirmed,
                sold_out = soldOut,
                failed,
                reservations_per_min = Math.Round(confirmed / Math.Max(confirmSeconds, 0.001) * 60),
                rush_seconds = Math.Round(rush.Elapsed.TotalSeconds, 2),
                reserve_p50_ms = Percentile(reserveMs, 50),
                reserve_p99_ms = Percentile(reserveMs, 99),
                agenda_events = AgendaEvents,
                agenda_p50_ms = Percentile(agendaMs, 50),
                agenda_p99_ms = Percentile(agendaMs, 99),
            };
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return sold <= Capacity && failed == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Agenda pages over HTTP, one at a time (latency, not throughput): by start, by tags, by text, by venue, and a next page.</summary>
    private static async Task<List<double>> AgendaAsync(Uri endpoint, int count)
    {
        using var http = new HttpClient();
        const string query = "query($f: AgendaFilterInput, $a: String) { agenda(first: 20, filter: $f, after: $a) { items { id title startsAt tags } endCursor } }";
        object?[] filters =
        [
            null,
            new { anyTags = new[] { "jazz", "film" } },
            new { allTags = new[] { "rock", "late" } },
            new { text = "poetry" },
            new { venueId = "v7", from = DateTimeOffset.UtcNow.AddDays(30) },
            new { from = DateTimeOffset.UtcNow.AddDays(60), to = DateTimeOffset.UtcNow.AddDays(90) },
        ];
        string? cursor = null;
        for (var i = 0; i < 50; i++)
        {
            await http.PostAsJsonAsync(endpoint, new { query, variables = new { f = filters[i % filters.Length] } });
        }

        var ms = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync(endpoint, new { query, variables = new { f = filters[i % filters.Length], a = i % 7 == 6 ? cursor : null } });
            var body = await response.Content.ReadAsStringAsync();
            ms.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Check(response.IsSuccessStatusCode && !body.Contains("\"errors\"", StringComparison.Ordinal), "agenda query failed: " + body);
            if (i % 6 == 0)
            {
                using var doc = JsonDocument.Parse(body);
                cursor = doc.RootElement.GetProperty("data").GetProperty("agenda").GetProperty("endCursor").GetString();
            }
        }

        return ms;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, params object[] args)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ForEachAsync(int count, int parallelism, Func<int, Task> body)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await body(i);
            }
        }));
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)], 2);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static int? ArgValue(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");
}

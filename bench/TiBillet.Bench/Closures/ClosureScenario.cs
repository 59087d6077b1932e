using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;
using TiBillet.Silo.Database;

namespace TiBillet.Bench.Closures;

/// <summary>
/// <c>closure [--quick] [--lines N]</c>: a venue's day of till sales written through the silo's own path (the LedgerWriter's
/// batches, each operation carrying its sale lines), then an X report and a Z closure over the whole day timed, and the
/// report checked against the ledger. 1,000,000 sale lines by default (--quick too: the size is the point); the last line
/// of stdout is a JSON summary.
/// </summary>
public static class ClosureScenario
{
    private const int LinesPerOperation = 20;
    private const int Cards = 1_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var lineCount = ArgValue(args, "--lines") ?? 1_000_000;
        using var loggerFactory = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            b.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        var folder = Directory.CreateTempSubdirectory("tibillet-bench-closure-").FullName;
        try
        {
            await using var postgres = await LocalPostgres.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "data"), Database = "bench", Settings = new Dictionary<string, string> { ["synchronous_commit"] = "on" } },
                loggerFactory.CreateLogger<LocalPostgres>());
            await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString("bench"));
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            await using var writer = new LedgerWriter(dataSource, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);

            var venue = new VenueId("bench-venue");
            var venueWallet = WalletId.OfVenue(venue);
            var asset = AssetId.New();
            var cards = Enumerable.Range(0, Cards).Select(_ => WalletId.New()).ToArray();
            var start = DateTimeOffset.UtcNow.AddSeconds(-1);
            var written = Stopwatch.StartNew();
            // Every card is issued far more than it will spend, so no sale is refused by the balance guard.
            await Task.WhenAll(cards.Select(card => writer.SubmitAsync(Entry(TransactionKind.Creation, [new LedgerLine(asset, 1_000_000_000, WalletId.MintOf(asset), card)], null, 0, PaymentMeans.None, null))));

            var menu = Menu();
            var random = new Random(7);
            var operations = lineCount / LinesPerOperation;
            const int InFlight = 2_048;
            var pending = new List<Task<LedgerCommit>>(InFlight);
            for (var op = 0; op < operations; op++)
            {
                var lines = Enumerable.Range(0, LinesPerOperation).Select(_ => menu[random.Next(menu.Length)] with { Quantity = random.Next(1, 4) }).ToImmutableArray();
                var total = lines.Sum(l => l.Amount);
                var card = cards[random.Next(cards.Length)];
                var cardPart = random.Next(3) switch { 0 => 0, 1 => total, _ => total / 2 };
                var external = total - cardPart;
                var means = external == 0 ? PaymentMeans.None : random.Next(2) == 0 ? PaymentMeans.Cash : PaymentMeans.BankCard;
                var cardUid = new CardUid(card.Value.ToString("N")[..8].ToUpperInvariant());
                var context = new TillContext(random.Next(2) == 0 ? "bar" : "kitchen", "cashier-" + random.Next(5), null, null, null);
                var rows = TillSaleRows.For(new TillSale(context, lines), cardPart > 0 ? [(asset, cardPart)] : [], cardUid, [], null, external, means);
                ImmutableArray<LedgerLine> ledgerLines = cardPart > 0 ? [new LedgerLine(asset, cardPart, card, venueWallet)] : [];
                pending.Add(writer.SubmitAsync(Entry(TransactionKind.Sale, ledgerLines, venue, external, means, rows, cardPart > 0 ? cardUid : null)));
                if (pending.Count == InFlight)
                {
                    await Drain(pending);
                }
            }

            await Drain(pending);
            var writeSeconds = written.Elapsed.TotalSeconds;
            await using (var analyze = dataSource.CreateCommand("ANALYZE sale_lines; ANALYZE ledger_operations; ANALYZE ledger_transactions"))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            var end = DateTimeOffset.UtcNow.AddSeconds(1);
            var reports = new TillReportStore(dataSource);
            var day = new TillDayStore(dataSource);
            var x = Stopwatch.StartNew();
            var xReport = await reports.ComputeAsync(venue, start, end);
            var xMs = x.Elapsed.TotalMilliseconds;
            // A Z closure is what the till-day grain does: the report, then the immutable row.
            var z = Stopwatch.StartNew();
            var zReport = await reports.ComputeAsync(venue, start, end);
            await day.AddClosureAsync(new TillClosure(Guid.CreateVersion7(), venue, 1, TillSettings.Default.BusinessDayOf(end), start, end, "bench", false, zReport));
            var zMs = z.Elapsed.TotalMilliseconds;

            if (args.Contains("--explain"))
            {
                // Where a report's time goes: each of its queries' plan with actual times, on stderr.
                foreach (var sql in new[] { TillReportStore.LinesSql, TillReportStore.LedgerOperationsSql, TillReportStore.LedgerMovementsSql, TillReportStore.CardsSql })
                {
                    await using var conn = await dataSource.OpenConnectionAsync();
                    await using (var set = new NpgsqlCommand("SET work_mem = '64MB'", conn))
                    {
                        await set.ExecuteNonQueryAsync();
                    }

                    await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, conn);
                    cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
                    cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start.ToUniversalTime() });
                    cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end.ToUniversalTime() });
                    await using var reader = await cmd.ExecuteReaderAsync();
                    do
                    {
                        while (await reader.ReadAsync())
                        {
                            await Console.Error.WriteLineAsync(reader.GetString(0));
                        }
                    }
                    while (await reader.NextResultAsync());
                }
            }

            // --compare: the report's queries as they were before the per-operation till table and the folded grouping, timed
            // against today's in turns on the same data (the host is shared: alternating keeps the conditions equal).
            double? previousMs = null, currentMs = null;
            if (args.Contains("--compare"))
            {
                var previous = new List<double>();
                var current = new List<double>();
                for (var turn = 0; turn < 3; turn++)
                {
                    var watch = Stopwatch.StartNew();
                    await PreviousReportAsync(dataSource, venue, start, end);
                    previous.Add(watch.Elapsed.TotalMilliseconds);
                    watch.Restart();
                    await reports.ComputeAsync(venue, start, end);
                    current.Add(watch.Elapsed.TotalMilliseconds);
                }

                previousMs = previous.Order().ElementAt(1);
                currentMs = current.Order().ElementAt(1);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"report SQL, median of 3 alternating turns: previous {previousMs:F0} ms ({string.Join(", ", previous.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))}), "
                    + $"current {currentMs:F0} ms ({string.Join(", ", current.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))})"));
            }

            var ledgerSales = await ScalarAsync(dataSource, "SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE kind = 2") +
                              await ScalarAsync(dataSource, "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE kind = 2");
            var reportSales = zReport.ByKind.Where(k => k.Kind == SaleLineKind.Sale).Sum(k => k.Amount);
            var stored = await ScalarAsync(dataSource, "SELECT count(*) FROM sale_lines");
            var matches = zReport.MatchesLedger && reportSales == ledgerSales && xReport.ByKind.SequenceEqual(zReport.ByKind);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {stored} sale lines in {operations} operations in {writeSeconds:F1} s; X {xMs:F0} ms, Z {zMs:F0} ms; sales {reportSales} (ledger {ledgerSales})"));
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                scenario = "closure",
                lines = stored,
                operations,
                write_s = Math.Round(writeSeconds, 1),
                z_ms = Math.Round(zMs),
                x_ms = Math.Round(xMs),
                report_matches_ledger = matches,
                report_ms_previous_sql = previousMs is { } p ? Math.Round(p) : (double?)null,
                report_ms_current_sql = currentMs is { } c ? Math.Round(c) : (double?)null,
                cores = Environment.ProcessorCount,
            }));
            return matches ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, true);
            }
            catch (IOException)
            {
            }
        }
    }

    // The report's three big queries as main ran them before this change: GROUPING SETS straight over the lines, and the
    // ledger's operations and movements matched with the till's by a DISTINCT over the period's sale lines.
    private static readonly string[] PreviousSql =
    [
        """
        SELECT GROUPING(product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate),
               kind, product_id, product_name, category_id, category_name, point_of_sale_id, cashier, means, asset_id, vat_rate,
               count(*), sum(quantity), sum(amount)
        FROM sale_lines
        WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY GROUPING SETS ((kind), (kind, product_id, product_name), (kind, category_id, category_name), (kind, point_of_sale_id),
                                (kind, cashier), (kind, means, asset_id), (kind, vat_rate))
        """,
        """
        WITH till AS (SELECT DISTINCT operation_id FROM sale_lines WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT o.kind, o.external_means, t.operation_id IS NOT NULL, count(*), sum(o.external_amount)
        FROM ledger_operations o LEFT JOIN till t ON t.operation_id = o.operation_id
        WHERE o.venue_id = $1 AND o.created_at >= $2 AND o.created_at < $3
        GROUP BY 1, 2, 3
        """,
        """
        WITH till AS (SELECT DISTINCT operation_id FROM sale_lines WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT t.kind, t.asset_id, s.operation_id IS NOT NULL, count(*), sum(t.amount)
        FROM ledger_transactions t LEFT JOIN till s ON s.operation_id = t.operation_id
        WHERE t.venue_id = $1 AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 1, 2, 3
        """,
        TillReportStore.CardsSql,
    ];

    private static async Task PreviousReportAsync(NpgsqlDataSource dataSource, VenueId venue, DateTimeOffset from, DateTimeOffset to)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var set = new NpgsqlCommand("SET LOCAL work_mem = '64MB'", conn, tx))
        {
            await set.ExecuteNonQueryAsync();
        }

        foreach (var sql in PreviousSql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await tx.CommitAsync();
    }

    private static LedgerEntry Entry(TransactionKind kind, ImmutableArray<LedgerLine> lines, VenueId? venue, long external, PaymentMeans means, TillRows? rows, CardUid? card = null)
    {
        var id = Guid.CreateVersion7();
        return new LedgerEntry(id, new IdempotencyKey("bench:" + id.ToString("N")), [1], kind, lines, [], [1], venue, card, external, means, rows);
    }

    private static PricedLine[] Menu()
    {
        var categories = new[] { (Guid.CreateVersion7(), "Drinks", 2000, "bar"), (Guid.CreateVersion7(), "Food", 1000, "kitchen"), (Guid.CreateVersion7(), "Books", 550, "bar") };
        return [.. Enumerable.Range(0, 40).Select(i =>
        {
            var (id, name, vat, station) = categories[i % categories.Length];
            return new PricedLine(SaleLineKind.Sale, Guid.CreateVersion7(), $"Product {i}", id, name, vat, 1, 150 + (i * 37 % 900), null, station);
        })];
    }

    private static async Task Drain(List<Task<LedgerCommit>> pending)
    {
        foreach (var commit in await Task.WhenAll(pending))
        {
            if (commit.Status != LedgerCommitStatus.Committed)
            {
                throw new InvalidOperationException("A bench operation was not committed: " + commit.Status);
            }
        }

        pending.Clear();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}

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

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Closures;

[Collection(SiloCollection.Name)]
public sealed class ClosureApiTests(TestFieldsSiloFixture silo)
{
    private const string ReportFields =
        "from to lines matchesLedger distinctCards openingFloats cashExpected cashCounted byKind { kind lines quantity amount } byProduct { kind key label quantity amount } "
        + "byCategory { kind key amount } byPointOfSale { kind key amount } byCashier { kind key amount } byMeans { kind means assetId amount } "
        + "vat { rate net vat gross } ledger { kind assetId means operations amount }";

    private static readonly string CloseDay = "mutation($i: CloseTillDayInput!) { closeTillDay(input: $i) { id number businessDay periodStart periodEnd report { " + ReportFields + " } } }";

    private static readonly string XReport = "query($v: ID!, $f: DateTimeOffset, $t: DateTimeOffset) { tillReport(venueId: $v, from: $f, to: $t) { " + ReportFields + " } }";

    private const string OpenSession = "mutation($i: OpenCashierSessionInput!) { openCashierSession(input: $i) { id openingFloat } }";

    private const string CloseSession = "mutation($i: CloseCashierSessionInput!) { closeCashierSession(input: $i) { countedCash expectedCash closedAt } }";

    [Fact]
    public async Task A_randomized_day_of_sales_closes_into_z_reports_that_match_the_ledger_and_the_sale_lines_to_the_cent()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var random = new Random(20261207);
        var drinks = await CategoryAsync(net, "Drinks", 2000, "bar");
        var food = await CategoryAsync(net, "Food", 1000, "kitchen");
        var books = await CategoryAsync(net, "Books", 550);
        string[] products =
        [
            await ProductAsync(net, drinks, "Beer", 350), await ProductAsync(net, drinks, "Wine", 420, position: 2),
            await ProductAsync(net, food, "Fries", 399, position: 3), await ProductAsync(net, food, "Burger", 1190, position: 4),
            await ProductAsync(net, books, "Zine", 700, position: 5),
        ];
        var cup = await ProductAsync(net, drinks, "Cup back", 100, "DEPOSIT_RETURN", position: 6);
        var manager = await silo.StaffAsync(net.Venue, "MANAGER");
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        (await silo.PostAsync(OpenSession, new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = 5000L } }, cashier)).Data();
        var cards = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            cards.Add(await net.FundedCardAsync(random.Next(500, 4000)));
        }

        long soldTotal = 0;
        long cashSold = 0;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 25; i++)
            {
                var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Line(products[random.Next(products.Length)], random.Next(1, 4))).ToList();
                if (random.Next(5) == 0)
                {
                    lines.Add(Line(cup, 1));
                }

                var card = cards[random.Next(cards.Count)];
                var response = random.Next(6) switch
                {
                    0 => await SellAsync(net, [.. lines], complement: "CASH", auth: cashier),
                    1 => await SellAsync(net, [.. lines], complement: "BANK_CARD", auth: cashier),
                    2 => await SellAsync(net, [.. lines], card, "CASH", auth: cashier),
                    3 => await SellAsync(net, [.. lines], card, "SECOND_CARD", cards.First(c => c != card), auth: cashier),
                    _ => await SellAsync(net, [.. lines], card, auth: cashier),
                };
                var sold = response.Data()["sell"]!;
                if (sold["approved"]!.GetValue<bool>())
                {
                    soldTotal += sold["total"]!.GetValue<long>();
                    cashSold += sold["externalMeans"]!.GetValue<string>() == "CASH" ? sold["paidExternally"]!.GetValue<long>() : 0;
                }

                if (random.Next(8) == 0)
                {
                    await net.RefillAsync(card, random.Next(100, 2000), CashlessNetwork.NewKey());
                }
            }

            if (round == 0)
            {
                var closed = (await silo.PostAsync(CloseSession, new { i = new { venueId = net.Venue, countedCash = 5000 + cashSold } }, cashier)).Data()["closeCashierSession"]!;
                Assert.Equal(5000 + cashSold, closed["expectedCash"]!.GetValue<long>());
            }

            var closure = (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, manager)).Data()["closeTillDay"]!;
            Assert.Equal(round + 1, closure["number"]!.GetValue<int>());
            await AssertMatchesAsync(net, closure["report"]!, soldTotal);
            soldTotal = 0;
        }

        var closures = (await silo.PostAsync("query($v: ID!) { tillClosures(venueId: $v) { number periodStart periodEnd } }", new { v = net.Venue }, manager)).Data()["tillClosures"]!.AsArray();
        Assert.Equal([2, 1], closures.Select(c => c!["number"]!.GetValue<int>()));
        Assert.Equal(closures[1]!["periodEnd"]!.GetValue<string>(), closures[0]!["periodStart"]!.GetValue<string>());
    }

    /// <summary>Every Z total against the ledger and the sale lines, read straight from the database for the closure's period.</summary>
    private async Task AssertMatchesAsync(CashlessNetwork net, JsonNode report, long soldTotal)
    {
        var (from, to) = (report["from"]!.GetValue<DateTimeOffset>(), report["to"]!.GetValue<DateTimeOffset>());
        Assert.True(report["matchesLedger"]!.GetValue<bool>(), report.ToJsonString());
        long Sum(JsonNode? list, Func<JsonNode, bool>? where = null) => list!.AsArray().Where(n => where?.Invoke(n!) ?? true).Sum(n => n!["amount"]!.GetValue<long>());

        var sales = Sum(report["byKind"], k => k["kind"]!.GetValue<string>() is "SALE" or "DEPOSIT_RETURN");
        Assert.Equal(soldTotal, sales);
        foreach (var section in new[] { "byProduct", "byCategory", "byPointOfSale", "byCashier", "byMeans" })
        {
            Assert.Equal(sales, Sum(report[section], k => k["kind"]!.GetValue<string>() is "SALE" or "DEPOSIT_RETURN"));
        }

        Assert.Equal(sales, report["vat"]!.AsArray().Sum(v => v!["gross"]!.GetValue<long>()));
        Assert.All(report["vat"]!.AsArray(), v => Assert.Equal(v!["gross"]!.GetValue<long>(), v["net"]!.GetValue<long>() + v["vat"]!.GetValue<long>()));

        // The ledger: card money into the venue by sales, and money paid outside cards, over the same period.
        var venueWallet = await net.VenueWalletAsync();
        var ledgerCard = await silo.ScalarAsync(
            "SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE venue_id = $1 AND kind = 2 AND to_wallet = $2::uuid AND created_at >= $3 AND created_at < $4",
            net.Venue, venueWallet, from, to);
        var ledgerExternal = await silo.ScalarAsync(
            "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE venue_id = $1 AND kind = 2 AND created_at >= $2 AND created_at < $3", net.Venue, from, to);
        Assert.Equal(sales, ledgerCard + ledgerExternal);
        Assert.Equal(ledgerCard, Sum(report["byMeans"], m => m["means"]!.GetValue<string>() == "CARD" && m["kind"]!.GetValue<string>() is "SALE" or "DEPOSIT_RETURN"));
        Assert.Equal(ledgerCard, Sum(report["ledger"], l => l["kind"]!.GetValue<string>() == "SALE" && l["assetId"] is not null));
        Assert.Equal(ledgerExternal, Sum(report["ledger"], l => l["kind"]!.GetValue<string>() == "SALE" && l["assetId"] is null));
        Assert.Equal(sales, await silo.ScalarAsync(
            "SELECT coalesce(sum(amount), 0) FROM sale_lines WHERE venue_id = $1 AND kind IN (0, 3) AND created_at >= $2 AND created_at < $3", net.Venue, from, to));
        var refills = await silo.ScalarAsync(
            "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE venue_id = $1 AND kind = 1 AND created_at >= $2 AND created_at < $3", net.Venue, from, to);
        Assert.Equal(refills, Sum(report["ledger"], l => l["kind"]!.GetValue<string>() == "REFILL" && l["assetId"] is null));
        var cash = await silo.ScalarAsync(
            "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE venue_id = $1 AND external_means = 1 AND kind IN (1, 2) AND created_at >= $2 AND created_at < $3", net.Venue, from, to);
        Assert.Equal(report["openingFloats"]!.GetValue<long>() + cash, report["cashExpected"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_x_report_closes_nothing_and_a_closure_starts_where_the_last_one_ended()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var beer = await ProductAsync(net, await CategoryAsync(net, "Drinks", 2000), "Beer", 350);
        await SellAsync(net, [Line(beer, 2)], complement: "CASH");

        var x = (await silo.PostAsync(XReport, new { v = net.Venue }, net.Admin)).Data()["tillReport"]!;
        var first = (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, net.Admin)).Data()["closeTillDay"]!;
        var second = (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, net.Admin)).Data()["closeTillDay"]!;
        var afterwards = (await silo.PostAsync(XReport, new { v = net.Venue }, net.Admin)).Data()["tillReport"]!;

        Assert.Equal(700, x["byKind"]!.AsArray().Single()!["amount"]!.GetValue<long>());
        Assert.Equal(700, first["report"]!["byKind"]!.AsArray().Single()!["amount"]!.GetValue<long>());
        Assert.Empty(second["report"]!["byKind"]!.AsArray());
        Assert.Equal(first["periodEnd"]!.GetValue<string>(), second["periodStart"]!.GetValue<string>());
        Assert.Empty(afterwards["byKind"]!.AsArray());
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(*) FROM till_closures WHERE venue_id = $1", net.Venue));
    }

    [Fact]
    public async Task A_cashier_has_one_open_session_and_closes_only_their_own()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var other = await silo.StaffAsync(net.Venue, "CASHIER");

        (await silo.PostAsync(OpenSession, new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = 1000L } }, cashier)).Data();
        var twice = await silo.PostAsync(OpenSession, new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = 1000L } }, cashier);
        var negative = await silo.PostAsync(OpenSession, new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = -1L } }, other);
        var notOpen = await silo.PostAsync(CloseSession, new { i = new { venueId = net.Venue, countedCash = 0L } }, other);
        var viewer = await silo.PostAsync(OpenSession, new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = 0L } }, await silo.StaffAsync(net.Venue, "VIEWER"));

        Assert.Equal("CONFLICT", twice.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", negative.ErrorCode());
        Assert.Equal("NOT_FOUND", notOpen.ErrorCode());
        Assert.Equal("FORBIDDEN", viewer.ErrorCode());
    }

    [Theory]
    [InlineData("CASHIER", false, false)]
    [InlineData("VIEWER", false, true)]
    [InlineData("MANAGER", true, true)]
    [InlineData("ADMIN", true, true)]
    public async Task Managers_close_and_viewers_managers_and_admins_read_reports(string role, bool closes, bool reads)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var staff = await silo.StaffAsync(net.Venue, role);

        var close = await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, staff);
        var report = await silo.PostAsync(XReport, new { v = net.Venue }, staff);
        var list = await silo.PostAsync("query($v: ID!) { tillClosures(venueId: $v) { number } }", new { v = net.Venue }, staff);
        var csv = await CsvAsync(net.Venue, "x.csv", staff);

        Assert.Equal(closes ? [] : ["FORBIDDEN"], close.ErrorCodes());
        Assert.Equal(reads ? [] : ["FORBIDDEN"], report.ErrorCodes());
        Assert.Equal(reads ? [] : ["FORBIDDEN"], list.ErrorCodes());
        Assert.Equal(reads ? HttpStatusCode.OK : HttpStatusCode.Forbidden, csv.Status);
    }

    [Fact]
    public async Task Another_venue_s_staff_and_anonymous_callers_are_refused()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var foreignAdmin = await silo.StaffAsync(other.Venue, "ADMIN");

        Assert.Equal("FORBIDDEN", (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, foreignAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(XReport, new { v = net.Venue }, foreignAdmin)).ErrorCode());
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(XReport, new { v = net.Venue })).ErrorCode());
        Assert.Equal(HttpStatusCode.Forbidden, (await CsvAsync(net.Venue, "x.csv", foreignAdmin)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CsvAsync(net.Venue, "x.csv", null)).Status);
        Assert.Equal("FORBIDDEN", (await silo.PostAsync("mutation($i: SaveTillSettingsInput!) { saveTillSettings(input: $i) { timeZone } }",
            new { i = new { venueId = net.Venue, timeZone = "Europe/Paris", dayTurn = "05:00", autoClose = true } }, await silo.StaffAsync(net.Venue, "MANAGER"))).ErrorCode());
    }

    [Fact]
    public async Task A_z_closure_exports_as_csv_and_settings_are_checked()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var beer = await ProductAsync(net, await CategoryAsync(net, "Drinks", 2000), "=Beer", 350);
        await SellAsync(net, [Line(beer, 1)], complement: "BANK_CARD");
        (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, net.Admin)).Data();
        var badZone = await silo.PostAsync("mutation($i: SaveTillSettingsInput!) { saveTillSettings(input: $i) { timeZone } }",
            new { i = new { venueId = net.Venue, timeZone = "Mars/Olympus", dayTurn = "04:00", autoClose = false } }, net.Admin);
        var saved = (await silo.PostAsync("mutation($i: SaveTillSettingsInput!) { saveTillSettings(input: $i) { timeZone dayTurn autoClose } }",
            new { i = new { venueId = net.Venue, timeZone = "Europe/Paris", dayTurn = "05:30", autoClose = true } }, net.Admin)).Data()["saveTillSettings"]!;

        var csv = await CsvAsync(net.Venue, "z/1.csv", net.Admin);
        var missing = await CsvAsync(net.Venue, "z/9.csv", net.Admin);

        Assert.Equal(HttpStatusCode.OK, csv.Status);
        Assert.Contains("product,Sale,", csv.Body, StringComparison.Ordinal);
        Assert.Contains("'=Beer", csv.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("BAD_USER_INPUT", badZone.ErrorCode());
        Assert.Equal("05:30", saved["dayTurn"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, string Body)> CsvAsync(string venue, string path, string? auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.BaseAddress, $"/venues/{venue}/reports/{path}"));
        if (auth is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(auth);
        }

        using var response = await silo.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;
using static TiBillet.GraphQL.Tests.Till.VoidApiTests;

namespace TiBillet.GraphQL.Tests.Closures;

/// <summary>
/// A randomized day of every till behaviour: sales paid every way, memberships, top-ups, deposits given back onto cards
/// and in cash, cards emptied, voids of paid lines, and closures in between. Each Z is checked against the sale lines and
/// the ledger, read straight from the database, to the cent.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class RandomizedDayTests(TestFieldsSiloFixture silo)
{
    private const string CloseDay =
        "mutation($i: CloseTillDayInput!) { closeTillDay(input: $i) { number report { from to lines matchesLedger cashExpected openingFloats byKind { kind lines quantity amount } "
        + "byProduct { kind amount } byMeans { kind means assetId amount } vat { gross } ledger { kind assetId means operations amount } } } }";

    // Per ledger kind, asset and means: what the till's lines say, signed as the ledger moves it (money given back is a
    // negative line for a positive ledger amount; a cash row naming an asset moved that asset on the card as well) ...
    private const string ExpectedFromLines =
        """
        WITH l AS (SELECT ledger_kind AS k, asset_id, means, kind, amount * CASE WHEN ledger_kind IN (3, 4) OR (ledger_kind = 1 AND kind = 3) THEN -1 ELSE 1 END AS a
                   FROM sale_lines WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT coalesce(string_agg(x, ',' ORDER BY x), '') FROM (
            SELECT k || '/' || coalesce(asset_id::text, '-') || '/' || m || '=' || sum(a) AS x FROM (
                SELECT k, asset_id, 0 AS m, a FROM l WHERE means = 0 OR asset_id IS NOT NULL
                UNION ALL SELECT k, NULL, means, a FROM l WHERE means <> 0) e
            GROUP BY k, asset_id, m HAVING sum(a) <> 0) s
        """;

    // ... and what the ledger's operations that carried those lines moved and were paid outside cards.
    private const string ActualFromLedger =
        """
        WITH till AS (SELECT DISTINCT operation_id FROM sale_lines WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3)
        SELECT coalesce(string_agg(x, ',' ORDER BY x), '') FROM (
            SELECT k || '/' || coalesce(asset_id::text, '-') || '/' || m || '=' || sum(a) AS x FROM (
                SELECT t.kind AS k, t.asset_id, 0 AS m, t.amount AS a FROM ledger_transactions t JOIN till USING (operation_id)
                UNION ALL SELECT o.kind, NULL, o.external_means, o.external_amount FROM ledger_operations o JOIN till USING (operation_id) WHERE o.external_amount > 0) e
            GROUP BY k, asset_id, m HAVING sum(a) <> 0) s
        """;

    [Fact]
    public async Task A_randomized_day_of_every_behaviour_with_voids_closes_into_z_reports_that_match_the_ledger_and_the_lines()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var random = new Random(20261208);
        var drinks = await CategoryAsync(net, "Drinks", 2000, "bar");
        var food = await CategoryAsync(net, "Food", 1000, "kitchen");
        var counter = await CategoryAsync(net, "Counter", 0);
        string[] products = [await ProductAsync(net, drinks, "Beer", 350), await ProductAsync(net, drinks, "Wine", 420, position: 2), await ProductAsync(net, food, "Fries", 399, position: 3)];
        var cup = await ProductAsync(net, drinks, "Cup back", 100, "DEPOSIT_RETURN", position: 4);
        var topUp = await ProductAsync(net, counter, "Top-up", 0, "TOP_UP", assetId: net.Tlf, position: 5);
        var empty = await ProductAsync(net, counter, "Empty the card", 0, "EMPTY_CARD", position: 6);
        var membershipProduct = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = net.Venue, name = "Adhésion", duration = "MONTH", price = 800L } }, net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        var membership = (await silo.PostAsync(SaveProduct, new
        {
            i = new { venueId = net.Venue, categoryId = counter, name = "Adhésion", behaviour = "MEMBERSHIP", membershipProductId = membershipProduct,
                placements = new[] { new { pointOfSaleId = "bar", price = 800L, position = 7 } } },
        }, net.Admin)).Data()["saveProduct"]!["id"]!.GetValue<string>();
        var manager = await silo.StaffAsync(net.Venue, "MANAGER");
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        (await silo.PostAsync("mutation($i: OpenCashierSessionInput!) { openCashierSession(input: $i) { id } }",
            new { i = new { venueId = net.Venue, pointOfSaleId = "bar", openingFloat = 5000L } }, cashier)).Data();
        var cards = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            cards.Add(await net.FundedCardAsync(random.Next(1000, 4000)));
        }

        var kinds = new HashSet<string>();
        for (var round = 0; round < 2; round++)
        {
            var paidLines = new List<long>();
            for (var i = 0; i < 30; i++)
            {
                var card = cards[random.Next(cards.Count)];
                var lines = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Line(products[random.Next(products.Length)], random.Next(1, 3))).ToList();
                var response = random.Next(10) switch
                {
                    0 => await SellAsync(net, [Line(topUp, 1, random.Next(200, 3000))], card, random.Next(2) == 0 ? "CASH" : "BANK_CARD", auth: cashier),
                    1 when random.Next(2) == 0 => await SellAsync(net, [Line(cup, random.Next(1, 3))], card, auth: cashier),
                    1 => await SellAsync(net, [Line(cup, random.Next(1, 3))], complement: "CASH", auth: cashier),
                    2 => await SellAsync(net, [Line(membership, 1), .. lines], card, "CASH", auth: cashier),
                    3 when random.Next(3) == 0 => await silo.PostAsync(Sell, new
                    {
                        i = new { idempotencyKey = CashlessNetwork.NewKey(), venueId = net.Venue, pointOfSaleId = "bar", cashierUid = net.Cashier, lines = new[] { Line(empty, 1) },
                            cardUid = card, cardQrId = "qr-" + card },
                    }, cashier),
                    4 => await SellAsync(net, [.. lines, Line(cup, 1)], complement: "CASH", auth: cashier),
                    5 => await SellAsync(net, [.. lines], card, "SECOND_CARD", cards.First(c => c != card), auth: cashier),
                    6 => await SellAsync(net, [.. lines], complement: "BANK_CARD", auth: cashier),
                    _ => await SellAsync(net, [.. lines], card, "CASH", auth: cashier),
                };
                var sold = response.Data()["sell"]!;
                if (!sold["approved"]!.GetValue<bool>() || sold["operationId"] is not JsonValue op)
                {
                    continue;
                }

                var stored = (await silo.PostAsync("query($v: ID!, $o: Guid!) { tillSaleLines(venueId: $v, operationId: $o) { id kind amount } }",
                    new { v = net.Venue, o = op.GetValue<string>() }, manager)).Data()["tillSaleLines"]!.AsArray();
                kinds.UnionWith(stored.Select(l => l!["kind"]!.GetValue<string>()));
                paidLines.AddRange(stored.Where(l => l!["kind"]!.GetValue<string>() is "SALE" or "MEMBERSHIP" && l["amount"]!.GetValue<long>() > 0)
                    .Select(l => l!["id"]!.GetValue<long>()));
                if (paidLines.Count > 0 && random.Next(4) == 0)
                {
                    var victim = paidLines[random.Next(paidLines.Count)];
                    paidLines.Remove(victim);
                    (await VoidAsync(net, [victim], manager)).Data();
                    kinds.Add("VOID");
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2100), TestContext.Current.CancellationToken); // past the closure's settle margin
            var closure = (await silo.PostAsync(CloseDay, new { i = new { venueId = net.Venue } }, manager)).Data()["closeTillDay"]!;
            await AssertMatchesAsync(net, closure["report"]!);
        }

        Assert.Superset(new HashSet<string> { "SALE", "TOP_UP", "DEPOSIT_RETURN", "MEMBERSHIP", "VOID" }, kinds);
        var verify = (await silo.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", null, net.Admin)).Data()["verifyLedger"]!;
        Assert.True(verify["clean"]!.GetValue<bool>(), verify.ToJsonString());
    }

    private async Task AssertMatchesAsync(CashlessNetwork net, JsonNode report)
    {
        var (from, to) = (report["from"]!.GetValue<DateTimeOffset>(), report["to"]!.GetValue<DateTimeOffset>());
        Assert.True(report["matchesLedger"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(await silo.ScalarTextAsync(ExpectedFromLines, net.Venue, from, to), await silo.ScalarTextAsync(ActualFromLedger, net.Venue, from, to));

        // Every kind's total, and every section, equals the lines in the database.
        foreach (var kind in report["byKind"]!.AsArray())
        {
            var code = kind!["kind"]!.GetValue<string>();
            var number = Array.IndexOf(["SALE", "TOP_UP", "REFUND", "DEPOSIT_RETURN", "VOID", "BADGE", "MEMBERSHIP"], code);
            var amount = kind["amount"]!.GetValue<long>();
            Assert.Equal(await silo.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM sale_lines WHERE venue_id = $1 AND kind = $2 AND created_at >= $3 AND created_at < $4",
                net.Venue, (short)number, from, to), amount);
            Assert.Equal(amount, report["byProduct"]!.AsArray().Where(p => p!["kind"]!.GetValue<string>() == code).Sum(p => p!["amount"]!.GetValue<long>()));
            Assert.Equal(amount, report["byMeans"]!.AsArray().Where(p => p!["kind"]!.GetValue<string>() == code).Sum(p => p!["amount"]!.GetValue<long>()));
        }

        Assert.Equal(await silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3", net.Venue, from, to),
            report["lines"]!.GetValue<long>());

        // The ledger section and the drawer: cash in by sales and top-ups, out by refunds and voids, against the ledger itself.
        var ledger = report["ledger"]!.AsArray();
        Assert.Equal(await silo.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE venue_id = $1 AND created_at >= $2 AND created_at < $3", net.Venue, from, to),
            ledger.Where(l => l!["assetId"] is not null).Sum(l => l!["amount"]!.GetValue<long>()));
        var cashIn = await silo.ScalarAsync(
            "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE venue_id = $1 AND external_means = 1 AND kind IN (1, 2) AND created_at >= $2 AND created_at < $3", net.Venue, from, to);
        var cashOut = await silo.ScalarAsync(
            "SELECT coalesce(sum(external_amount), 0) FROM ledger_operations WHERE venue_id = $1 AND external_means = 1 AND kind IN (3, 4) AND created_at >= $2 AND created_at < $3", net.Venue, from, to);
        Assert.Equal(report["openingFloats"]!.GetValue<long>() + cashIn - cashOut, report["cashExpected"]!.GetValue<long>());
    }
}

using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Till;

/// <summary>Managers void paid sale lines: the money goes back through the ledger, the stock comes back, the Z shows it.</summary>
[Collection(SiloCollection.Name)]
public sealed class VoidApiTests(TestFieldsSiloFixture silo)
{
    public const string Void = "mutation($i: VoidSaleLinesInput!) { voidSaleLines(input: $i) { lineId amount means assetId cardUid operationId } }";

    private const string LinesOf = "query($v: ID!, $o: Guid!) { tillSaleLines(venueId: $v, operationId: $o) { id kind productName quantity amount means voided } }";

    public static Task<GraphQLResponse> VoidAsync(CashlessNetwork net, IEnumerable<long> lines, string auth, string? key = null, string? venue = null, string reason = "spilled") =>
        net.Silo.PostAsync(Void, new { i = new { idempotencyKey = key ?? CashlessNetwork.NewKey(), venueId = venue ?? net.Venue, lineIds = lines.ToArray(), reason } }, auth);

    public static async Task<long[]> LineIdsAsync(CashlessNetwork net, JsonNode sold) =>
        [.. (await net.Silo.PostAsync(LinesOf, new { v = net.Venue, o = sold["operationId"]!.GetValue<string>() }, net.Admin)).Data()["tillSaleLines"]!.AsArray()
            .Select(l => l!["id"]!.GetValue<long>())];

    [Fact]
    public async Task A_manager_voids_card_and_cash_lines_through_the_ledger_and_the_z_report_shows_the_voids()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 400);
        await SetStockAsync(net, beer, 10);
        var card = await net.FundedCardAsync(500);
        var manager = await silo.StaffAsync(net.Venue, "MANAGER");

        var sold = (await SellAsync(net, [Line(beer, 2)], card, "CASH")).Data()["sell"]!;
        var lines = (await silo.PostAsync(LinesOf, new { v = net.Venue, o = sold["operationId"]!.GetValue<string>() }, manager)).Data()["tillSaleLines"]!.AsArray();
        var key = CashlessNetwork.NewKey();
        var voided = (await VoidAsync(net, lines.Select(l => l!["id"]!.GetValue<long>()), manager, key)).Data()["voidSaleLines"]!.AsArray();
        var again = (await VoidAsync(net, lines.Select(l => l!["id"]!.GetValue<long>()), manager, key)).Data()["voidSaleLines"]!.AsArray();
        var otherKey = await VoidAsync(net, [lines[0]!["id"]!.GetValue<long>()], manager);

        Assert.Equal([(500L, "CARD"), (300L, "CASH")], lines.Select(l => (l!["amount"]!.GetValue<long>(), l["means"]!.GetValue<string>())));
        Assert.Equal([500L, 300L], voided.Select(v => v!["amount"]!.GetValue<long>()));
        Assert.Equal(voided.Select(v => v!["operationId"]!.GetValue<string>()), again.Select(v => v!["operationId"]!.GetValue<string>()));
        Assert.Equal("ALREADY_VOIDED", otherKey.ErrorCode());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
        Assert.Equal(10, (await MenuAsync(net)).Single(p => p!["productId"]!.GetValue<string>() == beer)!["stock"]!.GetValue<long>());
        foreach (var v in voided)
        {
            Assert.Equal(3, await silo.ScalarAsync("SELECT kind FROM ledger_operations WHERE operation_id = $1::uuid", v!["operationId"]!.GetValue<string>()));
        }

        Assert.Equal(300, await silo.ScalarAsync("SELECT external_amount FROM ledger_operations WHERE operation_id = $1::uuid AND external_means = 1", voided[1]!["operationId"]!.GetValue<string>()));
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE venue_id = $1 AND kind = 4 AND voids_line_id IS NOT NULL AND reason = 'spilled'", net.Venue));
        var shown = (await silo.PostAsync(LinesOf, new { v = net.Venue, o = sold["operationId"]!.GetValue<string>() }, manager)).Data()["tillSaleLines"]!.AsArray();
        Assert.All(shown, l => Assert.True(l!["voided"]!.GetValue<bool>()));

        var z = (await silo.PostAsync("mutation($i: CloseTillDayInput!) { closeTillDay(input: $i) { report { matchesLedger cashExpected byKind { kind quantity amount } ledger { kind assetId means amount } } } }",
            new { i = new { venueId = net.Venue } }, manager)).Data()["closeTillDay"]!["report"]!;
        Assert.True(z["matchesLedger"]!.GetValue<bool>(), z.ToJsonString());
        Assert.Equal(-800, z["byKind"]!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "VOID")!["amount"]!.GetValue<long>());
        Assert.Equal(800, z["byKind"]!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "SALE")!["amount"]!.GetValue<long>());
        Assert.Equal(500 + 300 - 300, z["cashExpected"]!.GetValue<long>());
        var verify = (await silo.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", null, net.Admin)).Data()["verifyLedger"]!;
        Assert.True(verify["clean"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task Cashiers_other_venues_unknown_lines_and_lines_that_are_not_paid_sales_are_refused()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, cat, "Beer", 400);
        var topUp = await ProductAsync(net, cat, "Top-up", 1000, "TOP_UP", assetId: net.Tlf, position: 2);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var sale = await LineIdsAsync(net, (await SellAsync(net, [Line(beer, 1)], complement: "CASH")).Data()["sell"]!);
        var credit = await LineIdsAsync(net, (await SellAsync(net, [Line(topUp, 1)], card, "CASH")).Data()["sell"]!);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var foreignAdmin = await silo.StaffAsync(other.Venue, "ADMIN");
        var admin = await silo.StaffAsync(net.Venue, "ADMIN");
        var rows = await silo.ScalarAsync("SELECT count(*) FROM ledger_operations");

        Assert.Equal("FORBIDDEN", (await VoidAsync(net, sale, cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await VoidAsync(net, sale, foreignAdmin)).ErrorCode());
        Assert.Equal("NOT_FOUND", (await VoidAsync(net, sale, foreignAdmin, venue: other.Venue)).ErrorCode());
        Assert.Equal("NOT_FOUND", (await VoidAsync(net, [long.MaxValue], admin)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await VoidAsync(net, credit, admin)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await VoidAsync(net, sale, admin, reason: " ")).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(LinesOf, new { v = net.Venue, o = Guid.NewGuid() }, cashier)).ErrorCode());
        Assert.Equal(rows, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations"));

        var voided = (await VoidAsync(net, sale, admin)).Data()["voidSaleLines"]!.AsArray();
        var voidLine = await silo.ScalarAsync("SELECT line_id FROM sale_lines WHERE voids_line_id = $1", sale[0]);
        Assert.Single(voided);
        Assert.Equal("ALREADY_VOIDED", (await VoidAsync(net, [voidLine], admin)).ErrorCode());
    }
}

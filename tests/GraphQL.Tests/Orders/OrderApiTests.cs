using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Orders.OrderApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Orders;

[Collection(SiloCollection.Name)]
public sealed class OrderApiTests(TestFieldsSiloFixture silo)
{
    private async Task<(CashlessNetwork Net, string Burger, string Beer)> MenuAsync()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var food = await CategoryAsync(net, "Food", 1000, "kitchen");
        var drinks = await CategoryAsync(net, "Drinks", 2000, "bar");
        return (net, await ProductAsync(net, food, "Burger", 1200), await ProductAsync(net, drinks, "Beer", 350));
    }

    private Task<long> SaleLinesOfAsync(string order) => silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE order_id = $1::uuid", order);

    [Fact]
    public async Task A_table_order_goes_to_the_kitchen_is_served_and_paid_by_a_card_with_every_line_a_sale_line_of_its_table()
    {
        var (net, burger, beer) = await MenuAsync();
        await SaveTableRawAsync(net, "t1", "Table 1");
        var card = await net.FundedCardAsync(5000);
        var order = Id(await OpenAsync(net, "t1"));
        Assert.Equal("OCCUPIED", Str((await TableAsync(net, "t1"))!, "status"));

        var added = await AddAsync(net, order, Line(burger, 2), Line(beer, 1));
        var sent = await LinesAsync(net, "sendOrder", order);
        Assert.Equal("WAITING", Str((await TableAsync(net, "t1"))!, "status"));
        var prepared = await LinesAsync(net, "markOrderLinesPrepared", order);
        Assert.Equal("READY", Str((await TableAsync(net, "t1"))!, "status"));
        var served = await LinesAsync(net, "markOrderLinesServed", order);
        Assert.Equal("TO_PAY", Str((await TableAsync(net, "t1"))!, "status"));
        var paid = await PayAsync(net, order, card);

        Assert.Equal(2750, Long(added, "total"));
        Assert.Equal("kitchen", Str(added["lines"]![0]!, "station"));
        Assert.Equal("IN_PREPARATION", Str(sent, "status"));
        Assert.Equal("READY", Str(prepared, "status"));
        Assert.Equal("TO_PAY", Str(served, "status"));
        Assert.True(paid["payment"]!["approved"]!.GetValue<bool>());
        Assert.Equal(2750, Long(paid["payment"]!, "total"));
        Assert.Equal("CLOSED", Str(paid["order"]!, "status"));
        Assert.Equal(2250, await net.TlfBalanceAsync(card));
        var op = Str(paid["payment"]!, "operationId");
        Assert.Equal(op, paid["order"]!["lines"]![0]!["paidBy"]![0]!.GetValue<string>());
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE operation_id = $1::uuid AND table_id = 't1' AND order_id = $2::uuid", op, order));
        Assert.Equal(2750, await silo.ScalarAsync("SELECT sum(amount) FROM sale_lines WHERE order_id = $1::uuid", order));
        Assert.Equal("FREE", Str((await TableAsync(net, "t1"))!, "status"));
        Assert.Equal("CLOSED", Str(await OrderAsync(net, order), "status"));
    }

    [Fact]
    public async Task Lines_paid_apart_are_not_paid_twice_and_a_refusal_writes_nothing()
    {
        var (net, burger, beer) = await MenuAsync();
        var order = await AddAsync(net, Id(await OpenAsync(net, "t2")), Line(burger, 1), Line(beer, 2));
        var (burgerLine, beerLine) = (LineId(order, 0), LineId(order, 1));

        var first = await PayAsync(net, Id(order), complement: "CASH", lines: [burgerLine]);
        var linesBefore = await SaleLinesOfAsync(Id(order));
        var operationsBefore = await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE venue_id = $1", net.Venue);
        var twice = await PayRawAsync(net, Id(order), complement: "CASH", lines: [burgerLine]);
        var both = await PayRawAsync(net, Id(order), complement: "CASH", lines: [burgerLine, beerLine]);

        Assert.Equal(1200, Long(first["payment"]!, "total"));
        Assert.Equal(700, Long(first["order"]!, "remaining"));
        Assert.Equal("ALREADY_PAID", twice.ErrorCode());
        Assert.Equal("ALREADY_PAID", both.ErrorCode());
        Assert.Equal(linesBefore, await SaleLinesOfAsync(Id(order)));
        Assert.Equal(operationsBefore, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE venue_id = $1", net.Venue));
        Assert.False((await OrderAsync(net, Id(order)))["paymentInDoubt"]!.GetValue<bool>());

        var rest = await PayAsync(net, Id(order), complement: "BANK_CARD");
        Assert.Equal(700, Long(rest["payment"]!, "total"));
        Assert.Equal(0, Long(rest["order"]!, "remaining"));
        Assert.Equal("ALREADY_PAID", (await PayRawAsync(net, Id(order), complement: "CASH")).ErrorCode());
    }

    [Fact]
    public async Task Three_equal_shares_pay_the_bill_to_the_cent_and_the_sale_lines_count_each_product_once()
    {
        var (net, burger, beer) = await MenuAsync();
        var order = Id(await AddAsync(net, Id(await OpenAsync(net, "t3")), Line(burger, 1), Line(beer, 1)));
        var card = await net.FundedCardAsync(1000);

        var one = await PayAsync(net, order, card, shares: 3);
        var two = await PayAsync(net, order, complement: "CASH", shares: 3);
        var three = await PayAsync(net, order, complement: "BANK_CARD", shares: 3);

        Assert.Equal([517L, 517L, 516L], [Long(one["payment"]!, "total"), Long(two["payment"]!, "total"), Long(three["payment"]!, "total")]);
        Assert.Equal(517, Long(one["order"]!["split"]!, "nextShare"));
        Assert.Equal(1033, Long(one["order"]!, "remaining"));
        Assert.Equal(483, await net.TlfBalanceAsync(card));
        Assert.Equal(0, Long(three["order"]!, "remaining"));
        Assert.Null(three["order"]!["split"]);
        Assert.Equal(1550, await silo.ScalarAsync("SELECT sum(amount) FROM sale_lines WHERE order_id = $1::uuid", order));
        Assert.Equal(1, await silo.ScalarAsync("SELECT sum(quantity) FROM sale_lines WHERE order_id = $1::uuid AND product_name = 'Burger'", order));
        Assert.Equal(1, await silo.ScalarAsync("SELECT sum(quantity) FROM sale_lines WHERE order_id = $1::uuid AND product_name = 'Beer'", order));
        Assert.Equal(3, await silo.ScalarAsync("SELECT count(DISTINCT operation_id) FROM sale_lines WHERE order_id = $1::uuid", order));
        var verify = (await silo.PostAsync("{ verifyLedger { clean } }", null, net.Admin)).Data()["verifyLedger"]!;
        Assert.True(verify["clean"]!.GetValue<bool>());
        var report = (await silo.PostAsync("query($v: ID!) { tillReport(venueId: $v) { matchesLedger byProduct { label quantity amount } } }", new { v = net.Venue }, net.Admin))
            .Data()["tillReport"]!;
        Assert.True(report["matchesLedger"]!.GetValue<bool>(), report.ToJsonString());
        var burgerRow = report["byProduct"]!.AsArray().Single(r => r!["label"]!.GetValue<string>() == "Burger")!;
        Assert.Equal((1, 1200L), (burgerRow["quantity"]!.GetValue<int>(), burgerRow["amount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_payment_retried_with_its_key_replays_the_first_answer_and_another_payment_under_it_is_a_conflict()
    {
        var (net, burger, _) = await MenuAsync();
        var order = Id(await AddAsync(net, Id(await OpenAsync(net, null)), Line(burger, 1)));
        var card = await net.FundedCardAsync(2000);
        var key = CashlessNetwork.NewKey();

        var first = await PayAsync(net, order, card, key: key);
        var again = await PayAsync(net, order, card, key: key);
        var other = await PayRawAsync(net, order, complement: "CASH", key: key);

        Assert.Equal(Str(first["payment"]!, "operationId"), Str(again["payment"]!, "operationId"));
        Assert.Equal(800, await net.TlfBalanceAsync(card));
        Assert.Equal("CONFLICT", other.ErrorCode());
        Assert.Equal(1, await SaleLinesOfAsync(order));
    }

    [Fact]
    public async Task A_declined_card_leaves_the_lines_to_pay()
    {
        var (net, burger, _) = await MenuAsync();
        var order = Id(await AddAsync(net, Id(await OpenAsync(net, "t4")), Line(burger, 1)));
        var poor = await net.FundedCardAsync(100);

        var declined = await PayAsync(net, order, poor);
        var cash = await PayAsync(net, order, complement: "CASH");

        Assert.False(declined["payment"]!["approved"]!.GetValue<bool>());
        Assert.Equal(1200, Long(declined["order"]!, "remaining"));
        Assert.True(cash["payment"]!["approved"]!.GetValue<bool>());
        Assert.Equal(100, await net.TlfBalanceAsync(poor));
    }

    [Fact]
    public async Task Lines_added_again_under_the_same_key_are_added_once_and_an_order_opened_again_is_the_same()
    {
        var (net, burger, _) = await MenuAsync();
        var id = Guid.NewGuid().ToString();
        var opened = await OpenRawAsync(net, "t10", orderId: id);
        var reopened = await OpenRawAsync(net, "t10", orderId: id);
        const string Add = "mutation($i: AddOrderLinesInput!) { addOrderLines(input: $i) { total lines { id } } }";
        var input = new { i = new { venueId = net.Venue, orderId = id, idempotencyKey = "add-1", lines = new[] { Line(burger, 1) } } };

        var first = (await silo.PostAsync(Add, input, net.Admin)).Data()["addOrderLines"]!;
        var retried = (await silo.PostAsync(Add, input, net.Admin)).Data()["addOrderLines"]!;

        Assert.Equal(Id(opened.Data()["openOrder"]!), Id(reopened.Data()["openOrder"]!));
        Assert.Equal(1200, Long(first, "total"));
        Assert.Equal(1200, Long(retried, "total"));
        Assert.Single(retried["lines"]!.AsArray());
        Assert.Equal("CONFLICT", (await OpenRawAsync(net, "t11", orderId: id)).ErrorCode());
    }

    [Fact]
    public async Task A_takeaway_order_gets_the_next_ticket_number()
    {
        var (net, _, _) = await MenuAsync();

        var first = await OpenAsync(net, null);
        var second = await OpenAsync(net, null);
        var list = (await silo.PostAsync("query($v: ID!) { takeawayOrders(venueId: $v) { id ticket } }", new { v = net.Venue }, net.Admin)).Data()["takeawayOrders"]!.AsArray();

        Assert.Equal(1, first["ticket"]!.GetValue<int>());
        Assert.Equal(2, second["ticket"]!.GetValue<int>());
        Assert.Null(first["tableId"]);
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public async Task Unpaid_lines_are_voided_with_a_reason_and_paid_ones_are_refused()
    {
        var (net, burger, beer) = await MenuAsync();
        var order = await AddAsync(net, Id(await OpenAsync(net, "t5")), Line(burger, 1), Line(beer, 1));
        await LinesAsync(net, "sendOrder", Id(order));
        await PayAsync(net, Id(order), complement: "CASH", lines: [LineId(order, 1)]);

        var voided = (await VoidRawAsync(net, Id(order), [LineId(order, 0)], "Sent back")).Data()["voidOrderLines"]!;
        var paidLine = await VoidRawAsync(net, Id(order), [LineId(order, 1)], "Spilled");
        var noReason = await VoidRawAsync(net, Id(order), [LineId(order, 0)], "");

        Assert.Equal("VOIDED", Str(voided["lines"]![0]!, "status"));
        Assert.Equal("Sent back", Str(voided["lines"]![0]!, "voidReason"));
        Assert.Equal(350, Long(voided, "total"));
        Assert.Equal(0, Long(voided, "remaining"));
        Assert.Equal("ALREADY_PAID", paidLine.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", noReason.ErrorCode());
    }

    [Fact]
    public async Task An_order_or_some_of_its_lines_move_to_another_table()
    {
        var (net, burger, beer) = await MenuAsync();
        await SaveTableRawAsync(net, "t6", "Table 6");
        var order = await AddAsync(net, Id(await OpenAsync(net, "t6")), Line(burger, 1), Line(beer, 1));

        var moved = (await TransferRawAsync(net, Id(order), "terrace", [LineId(order, 1)])).Data()["transferOrder"]!;
        var rest = await OrderAsync(net, Id(order));
        var whole = (await TransferRawAsync(net, Id(order), "t7")).Data()["transferOrder"]!;

        Assert.NotEqual(Id(order), Id(moved));
        Assert.Equal("terrace", Str(moved, "tableId"));
        Assert.Equal(LineId(order, 1), LineId(moved, 0));
        Assert.Equal(1200, Long(rest, "total"));
        Assert.Equal("t7", Str(whole, "tableId"));
        Assert.Equal(Id(order), Id(whole));
        Assert.Equal("FREE", Str((await TableAsync(net, "t6"))!, "status"));
        Assert.Equal("OCCUPIED", Str((await TableAsync(net, "terrace"))!, "status"));
        Assert.False((await TableAsync(net, "terrace"))!["fixed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_admin_keeps_the_table_plan()
    {
        var (net, _, _) = await MenuAsync();
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");

        var saved = (await SaveTableRawAsync(net, "window", "Window")).Data()["saveTable"]!;
        var byCashier = await SaveTableRawAsync(net, "bar-1", "Bar 1", cashier);
        var order = Id(await OpenAsync(net, "window"));
        var busy = await ArchiveTableRawAsync(net, "window");
        await VoidRawAsync(net, order, [], "x");
        var unknown = await ArchiveTableRawAsync(net, "nowhere");

        Assert.Equal("FREE", Str(saved, "status"));
        Assert.True(saved["fixed"]!.GetValue<bool>());
        Assert.Equal("FORBIDDEN", byCashier.ErrorCode());
        Assert.Equal("CONFLICT", busy.ErrorCode());
        Assert.Equal("NOT_FOUND", unknown.ErrorCode());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM order_tables WHERE venue_id = $1 AND table_id = 'bar-1'", net.Venue));
    }

    [Fact]
    public async Task An_archived_table_takes_no_order()
    {
        var (net, burger, _) = await MenuAsync();
        await SaveTableRawAsync(net, "old", "Old table");
        var order = Id(await OpenAsync(net, "old"));
        await AddAsync(net, order, Line(burger, 1));
        await PayAsync(net, order, complement: "CASH");
        await LinesAsync(net, "markOrderLinesServed", order);

        Assert.True((await ArchiveTableRawAsync(net, "old")).Data()["archiveTable"]!.GetValue<bool>());
        Assert.Equal("CONFLICT", (await OpenRawAsync(net, "old")).ErrorCode());
        Assert.Null(await TableAsync(net, "old"));
    }

    [Fact]
    public async Task Another_venue_s_cashier_a_device_and_a_viewer_run_no_order_and_nothing_is_written()
    {
        var (net, burger, _) = await MenuAsync();
        var order = await AddAsync(net, Id(await OpenAsync(net, "t8")), Line(burger, 1));
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var otherCashier = await silo.StaffAsync(other.Venue, "CASHIER");
        var viewer = await silo.StaffAsync(net.Venue, "VIEWER");
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"till\") { key } }",
            new { v = net.Venue }, net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();
        var version = await silo.ScalarAsync("SELECT version FROM orders WHERE order_id = $1::uuid", Id(order));

        foreach (var auth in new[] { otherCashier, viewer, device })
        {
            const string expected = "FORBIDDEN";
            Assert.Equal(expected, (await OpenRawAsync(net, "t9", auth)).ErrorCode());
            Assert.Equal(expected, (await AddRawAsync(net, Id(order), [Line(burger, 1)], auth)).ErrorCode());
            Assert.Equal(expected, (await LinesRawAsync(net, "sendOrder", Id(order), null, auth)).ErrorCode());
            Assert.Equal(expected, (await VoidRawAsync(net, Id(order), [LineId(order, 0)], "no", auth)).ErrorCode());
            Assert.Equal(expected, (await TransferRawAsync(net, Id(order), "t9", null, auth)).ErrorCode());
            Assert.Equal(expected, (await PayRawAsync(net, Id(order), complement: "CASH", auth: auth)).ErrorCode());
        }

        Assert.Equal("FORBIDDEN", (await silo.PostAsync("query($id: Guid!) { order(id: $id) { id } }", new { id = Id(order) }, otherCashier)).ErrorCode());
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync("query($id: Guid!) { order(id: $id) { id } }", new { id = Id(order) })).ErrorCode());
        Assert.Equal(version, await silo.ScalarAsync("SELECT version FROM orders WHERE order_id = $1::uuid", Id(order)));
        Assert.Equal(0, await SaleLinesOfAsync(Id(order)));
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM orders WHERE venue_id = $1", net.Venue));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM order_tables WHERE venue_id = $1 AND table_id = 't9'", net.Venue));

        // The order of one venue is not found through another venue's name.
        var foreign = await silo.PostAsync("mutation($i: OrderLinesInput!) { sendOrder(input: $i) { id } }",
            new { i = new { venueId = other.Venue, orderId = Id(order) } }, other.Admin);
        Assert.Equal("NOT_FOUND", foreign.ErrorCode());
    }

    [Fact]
    public async Task A_product_the_till_does_not_sell_or_a_price_sent_for_a_priced_one_is_refused()
    {
        var (net, burger, _) = await MenuAsync();
        var order = Id(await OpenAsync(net, null));
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var foreign = await ProductAsync(other, await CategoryAsync(other, "X", 0), "Theirs", 100);

        Assert.Equal("BAD_USER_INPUT", (await AddRawAsync(net, order, [Line(burger, 1, unitPrice: 1)])).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await AddRawAsync(net, order, [Line(foreign, 1)])).ErrorCode());
        Assert.Equal(0, Long(await OrderAsync(net, order), "total"));
    }
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Orders.OrderApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Orders;

/// <summary>A table's order paid by a card tap at the till's reader, through the till's pending request and the order.</summary>
[Collection(SiloCollection.Name)]
public sealed class OrderTapPaymentTests(TestFieldsSiloFixture silo)
{
    private const string Request =
        "mutation($i: RequestOrderPaymentInput!) { requestOrderPayment(input: $i) { pendingRequest { id kind amount orderId tableId orderLineIds shares lines { label quantity unitPrice } } } }";

    private const string TapFields = "tapId outcome message amount declineReason shortfall requestId operationId orderId";

    private sealed record Till(CashlessNetwork Net, string Burger, string Beer, string Device);

    /// <summary>A venue with a menu, the "bar" till's reader device, and the till opened by the cashier card.</summary>
    private async Task<Till> TillAsync()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var food = await CategoryAsync(net, "Food", 1000, "kitchen");
        var drinks = await CategoryAsync(net, "Drinks", 2000, "bar");
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"Bar reader\") { key } }",
            new { v = net.Venue }, net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();
        var till = new Till(net, await ProductAsync(net, food, "Burger", 1200), await ProductAsync(net, drinks, "Beer", 350), device);
        Assert.Equal("TILL_OPENED", Str(await TapAsync(till, net.Cashier), "outcome"));
        return till;
    }

    private static Task<GraphQLResponse> RequestRawAsync(CashlessNetwork net, string order, string? key = null, string[]? lines = null, int? shares = null,
        string? auth = null, string pointOfSale = "bar") =>
        net.Silo.PostAsync(Request, new
        {
            i = new { idempotencyKey = key ?? CashlessNetwork.NewKey(), venueId = net.Venue, pointOfSaleId = pointOfSale, orderId = order, lineIds = lines, shares },
        }, auth ?? net.Admin);

    private static async Task<JsonNode> RequestAsync(CashlessNetwork net, string order, string? key = null, string[]? lines = null, int? shares = null) =>
        (await RequestRawAsync(net, order, key, lines, shares)).Data()["requestOrderPayment"]!["pendingRequest"]!;

    private static async Task<JsonNode> TapAsync(Till till, string uid, string? tapId = null) =>
        (await till.Net.Silo.PostAsync($"mutation($i: TapInput!) {{ tap(input: $i) {{ {TapFields} }} }}",
            new { i = new { readerName = "Bar reader", uid, tapId = tapId ?? CashlessNetwork.NewKey() } }, till.Device)).Data()["tap"]!;

    private async Task<string> ServedOrderAsync(Till till, string table)
    {
        var order = Id(await OpenAsync(till.Net, table));
        await AddAsync(till.Net, order, Line(till.Burger, 2), Line(till.Beer, 1));
        await LinesAsync(till.Net, "sendOrder", order);
        await LinesAsync(till.Net, "markOrderLinesPrepared", order);
        await LinesAsync(till.Net, "markOrderLinesServed", order);
        return order;
    }

    private Task<long> OperationsAsync(CashlessNetwork net) => silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE venue_id = $1", net.Venue);

    private Task<long> SaleLinesOfAsync(string order) => silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE order_id = $1::uuid", order);

    [Fact]
    public async Task An_order_sent_to_the_kitchen_is_paid_by_a_tap_at_the_till_and_the_till_s_screens_see_it()
    {
        var till = await TillAsync();
        var net = till.Net;
        var card = await net.FundedCardAsync(5000);
        var order = await ServedOrderAsync(till, "t1");
        using var screen = await FollowTillAsync(net);
        var operationsBefore = await OperationsAsync(net);

        var pending = await RequestAsync(net, order);
        var requested = await NextEventAsync(screen);
        var paid = await TapAsync(till, card);
        var told = await NextEventAsync(screen);

        Assert.Equal("PAYMENT", Str(pending, "kind"));
        Assert.Equal(2750, Long(pending, "amount"));
        Assert.Equal(order, Str(pending, "orderId"));
        Assert.Equal("t1", Str(pending, "tableId"));
        Assert.Equal(2, pending["orderLineIds"]!.AsArray().Count);
        Assert.Equal("Burger", Str(pending["lines"]![0]!, "label"));
        Assert.Equal("PAYMENT_REQUESTED", Str(requested, "kind"));
        Assert.Equal(order, Str(requested["request"]!, "orderId"));
        Assert.Equal("APPROVED", Str(paid, "outcome"));
        Assert.Equal(2750, Long(paid, "amount"));
        Assert.Equal(order, Str(paid, "orderId"));
        Assert.Equal(Str(pending, "id"), Str(paid, "requestId"));
        Assert.Equal("TAP_HANDLED", Str(told, "kind"));
        Assert.Equal("APPROVED", Str(told["tap"]!, "outcome"));
        Assert.Null(told["pointOfSale"]!["pendingRequest"]);

        var after = await OrderAsync(net, order);
        var op = Str(paid, "operationId");
        Assert.Equal("CLOSED", Str(after, "status"));
        Assert.All(after["lines"]!.AsArray(), l => Assert.True(l!["paid"]!.GetValue<bool>()));
        Assert.Equal(op, after["lines"]![0]!["paidBy"]![0]!.GetValue<string>());
        Assert.Equal(2250, await net.TlfBalanceAsync(card));
        Assert.Equal(operationsBefore + 1, await OperationsAsync(net));
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE operation_id = $1::uuid AND table_id = 't1' AND order_id = $2::uuid", op, order));
        Assert.Null(await TableAsync(net, "t1")); // a table opened on the fly is listed only while an order holds it
    }

    [Fact]
    public async Task A_retried_tap_gets_its_first_answer_and_moves_money_once()
    {
        var till = await TillAsync();
        var card = await till.Net.FundedCardAsync(5000);
        var order = await ServedOrderAsync(till, "t2");
        await RequestAsync(till.Net, order);
        var tapId = CashlessNetwork.NewKey();

        var first = await TapAsync(till, card, tapId);
        var operations = await OperationsAsync(till.Net);
        var again = await TapAsync(till, card, tapId);
        var another = await TapAsync(till, card);

        Assert.Equal("APPROVED", Str(first, "outcome"));
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal("BALANCE", Str(another, "outcome")); // nothing is pending any more
        Assert.Equal(operations, await OperationsAsync(till.Net));
        Assert.Equal(2250, await till.Net.TlfBalanceAsync(card));
        Assert.Equal(2, await SaleLinesOfAsync(order));
    }

    [Fact]
    public async Task A_declined_tap_leaves_the_lines_unpaid_and_free_and_the_next_card_pays_one_share()
    {
        var till = await TillAsync();
        var poor = await till.Net.FundedCardAsync(500);
        var rich = await till.Net.FundedCardAsync(5000);
        var order = await ServedOrderAsync(till, "t3");
        var operations = await OperationsAsync(till.Net);
        var pending = await RequestAsync(till.Net, order, shares: 2);

        var declined = await TapAsync(till, poor);
        var between = await OrderAsync(till.Net, order);
        var paid = await TapAsync(till, rich);

        Assert.Equal(1375, Long(pending, "amount"));
        Assert.Equal(2, pending["shares"]!.GetValue<int>());
        Assert.Equal("DECLINED", Str(declined, "outcome"));
        Assert.Equal("INSUFFICIENT_FUNDS", Str(declined, "declineReason"));
        Assert.Equal(875, Long(declined, "shortfall"));
        Assert.Equal(2750, Long(between, "remaining"));
        Assert.False(between["paymentInDoubt"]!.GetValue<bool>());
        Assert.All(between["lines"]!.AsArray(), l => Assert.Equal(0, l!["paidAmount"]!.GetValue<long>()));
        Assert.Equal(500, await till.Net.TlfBalanceAsync(poor));
        Assert.Equal("APPROVED", Str(paid, "outcome"));
        Assert.Equal(1375, Long(paid, "amount"));
        Assert.Equal(1375, Long(await OrderAsync(till.Net, order), "remaining"));
        Assert.Equal(operations + 1, await OperationsAsync(till.Net));
    }

    [Fact]
    public async Task The_same_key_asked_twice_keeps_one_request_and_a_paid_order_is_not_asked_again()
    {
        var till = await TillAsync();
        var card = await till.Net.FundedCardAsync(5000);
        var order = await ServedOrderAsync(till, "t4");
        var key = CashlessNetwork.NewKey();

        var first = await RequestAsync(till.Net, order, key);
        var again = await RequestAsync(till.Net, order, key);
        Assert.Equal(Str(first, "id"), Str(again, "id"));
        Assert.Equal("APPROVED", Str(await TapAsync(till, card), "outcome"));

        Assert.Equal("CONFLICT", (await RequestRawAsync(till.Net, order, key)).ErrorCode());
        Assert.Equal("ALREADY_PAID", (await RequestRawAsync(till.Net, order)).ErrorCode());
    }

    [Fact]
    public async Task Lines_paid_at_the_counter_meanwhile_make_the_tap_a_refusal_that_moves_no_money()
    {
        var till = await TillAsync();
        var card = await till.Net.FundedCardAsync(5000);
        var order = await ServedOrderAsync(till, "t6");
        await RequestAsync(till.Net, order);
        await PayAsync(till.Net, order, complement: "CASH");
        var operations = await OperationsAsync(till.Net);

        var tap = await TapAsync(till, card);

        Assert.Equal("REFUSED", Str(tap, "outcome"));
        Assert.Equal(5000, await till.Net.TlfBalanceAsync(card));
        Assert.Equal(operations, await OperationsAsync(till.Net));
        Assert.Equal(2, await SaleLinesOfAsync(order));
    }

    [Fact]
    public async Task Another_venue_s_cashier_a_device_or_a_door_till_cannot_ask_and_nothing_is_pending()
    {
        var till = await TillAsync();
        var net = till.Net;
        var order = await ServedOrderAsync(till, "t5");
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var otherCashier = await silo.StaffAsync(other.Venue, "CASHIER");
        (await silo.PostAsync("mutation($v: ID!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: \"door\", name: \"Door\", mode: DOOR }) { mode } }",
            new { v = net.Venue }, net.Admin)).Data();

        Assert.Equal("FORBIDDEN", (await RequestRawAsync(net, order, auth: otherCashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await RequestRawAsync(net, order, auth: till.Device)).ErrorCode());
        Assert.Equal("CONFLICT", (await RequestRawAsync(net, order, pointOfSale: "door")).ErrorCode());
        // Another venue's order is not found through this venue's till.
        var foreign = Id(await OpenAsync(other, "x1"));
        Assert.Equal("NOT_FOUND", (await RequestRawAsync(net, foreign)).ErrorCode());

        var bar = (await silo.PostAsync("query($v: ID!) { pointOfSale(venueId: $v, pointOfSaleId: \"bar\") { pendingRequest { id } } }", new { v = net.Venue }, net.Admin))
            .Data()["pointOfSale"]!;
        Assert.Null(bar["pendingRequest"]);
        Assert.Equal(0, await SaleLinesOfAsync(order));
    }

    private async Task<ClientWebSocket> FollowTillAsync(CashlessNetwork net)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(silo.GraphQLUri) { Scheme = "ws" }.Uri, TestContext.Current.CancellationToken);
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = net.Admin } });
        Assert.Equal("connection_ack", Str((await ReceiveAsync(socket))!, "type"));
        await SendAsync(socket, new JsonObject
        {
            ["id"] = "1",
            ["type"] = "subscribe",
            ["payload"] = new JsonObject
            {
                ["query"] = "subscription($v: ID!) { pointOfSaleEvents(venueId: $v, pointOfSaleId: \"bar\") { kind pointOfSale { pendingRequest { id } } "
                            + $"request {{ orderId }} tap {{ {TapFields} }} }} }}",
                ["variables"] = new JsonObject { ["v"] = net.Venue },
            },
        });
        Assert.Equal("SUBSCRIBED", Str(await NextEventAsync(socket), "kind"));
        return socket;
    }

    private static async Task<JsonNode> NextEventAsync(ClientWebSocket socket)
    {
        var message = (await ReceiveAsync(socket))!;
        Assert.Equal("next", Str(message, "type"));
        return message["payload"]!["data"]!["pointOfSaleEvents"]!;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }
}

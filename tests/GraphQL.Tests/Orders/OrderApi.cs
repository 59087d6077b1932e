using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Orders;

/// <summary>Tables and orders through the API.</summary>
public static class OrderApi
{
    public const string OrderFields =
        "id tableId ticket status total paid remaining paymentInDoubt closedAt split { shares paid nextShare } "
        + "lines { id name station quantity unitPrice amount status paid paidAmount paidBy voidReason }";

    public const string Tables = "query($v: ID!) { tables(venueId: $v) { id name fixed status orders { id status total remaining } } }";

    public const string Pay =
        "mutation($i: PayOrderInput!) { payOrder(input: $i) { payment { approved total paidByCard paidExternally operationId } order { " + OrderFields + " } } }";

    public static async Task<JsonNode> OpenAsync(CashlessNetwork net, string? table, string? auth = null) =>
        (await OpenRawAsync(net, table, auth)).Data()["openOrder"]!;

    public static Task<GraphQLResponse> OpenRawAsync(CashlessNetwork net, string? table, string? auth = null, string? orderId = null) =>
        net.Silo.PostAsync("mutation($i: OpenOrderInput!) { openOrder(input: $i) { " + OrderFields + " } }",
            new { i = new { venueId = net.Venue, pointOfSaleId = "bar", tableId = table, orderId } }, auth ?? net.Admin);

    public static Task<GraphQLResponse> AddRawAsync(CashlessNetwork net, string order, object[] lines, string? auth = null) =>
        net.Silo.PostAsync("mutation($i: AddOrderLinesInput!) { addOrderLines(input: $i) { " + OrderFields + " } }",
            new { i = new { venueId = net.Venue, orderId = order, lines } }, auth ?? net.Admin);

    public static async Task<JsonNode> AddAsync(CashlessNetwork net, string order, params object[] lines) =>
        (await AddRawAsync(net, order, lines)).Data()["addOrderLines"]!;

    /// <summary>sendOrder, markOrderLinesPrepared, markOrderLinesServed: the named lines, or all when none.</summary>
    public static Task<GraphQLResponse> LinesRawAsync(CashlessNetwork net, string field, string order, string[]? lines = null, string? auth = null) =>
        net.Silo.PostAsync($"mutation($i: OrderLinesInput!) {{ {field}(input: $i) {{ {OrderFields} }} }}",
            new { i = new { venueId = net.Venue, orderId = order, lineIds = lines } }, auth ?? net.Admin);

    public static async Task<JsonNode> LinesAsync(CashlessNetwork net, string field, string order, params string[] lines) =>
        (await LinesRawAsync(net, field, order, lines.Length == 0 ? null : lines)).Data()[field]!;

    public static Task<GraphQLResponse> VoidRawAsync(CashlessNetwork net, string order, string[] lines, string reason, string? auth = null) =>
        net.Silo.PostAsync("mutation($i: VoidOrderLinesInput!) { voidOrderLines(input: $i) { " + OrderFields + " } }",
            new { i = new { venueId = net.Venue, orderId = order, lineIds = lines, reason } }, auth ?? net.Admin);

    public static Task<GraphQLResponse> TransferRawAsync(CashlessNetwork net, string order, string table, string[]? lines = null, string? auth = null) =>
        net.Silo.PostAsync("mutation($i: TransferOrderInput!) { transferOrder(input: $i) { " + OrderFields + " } }",
            new { i = new { venueId = net.Venue, orderId = order, tableId = table, lineIds = lines } }, auth ?? net.Admin);

    public static Task<GraphQLResponse> PayRawAsync(CashlessNetwork net, string order, string? card = null, string? complement = null, string[]? lines = null,
        int? shares = null, string? key = null, string? auth = null) =>
        net.Silo.PostAsync(Pay, new
        {
            i = new
            {
                idempotencyKey = key ?? CashlessNetwork.NewKey(), venueId = net.Venue, orderId = order, cashierUid = net.Cashier, lineIds = lines, shares,
                cardUid = card, complement,
            },
        }, auth ?? net.Admin);

    public static async Task<JsonNode> PayAsync(CashlessNetwork net, string order, string? card = null, string? complement = null, string[]? lines = null,
        int? shares = null, string? key = null) =>
        (await PayRawAsync(net, order, card, complement, lines, shares, key)).Data()["payOrder"]!;

    public static async Task<JsonNode> OrderAsync(CashlessNetwork net, string order, string? auth = null) =>
        (await net.Silo.PostAsync("query($id: Guid!) { order(id: $id) { " + OrderFields + " } }", new { id = order }, auth ?? net.Admin)).Data()["order"]!;

    public static async Task<JsonNode?> TableAsync(CashlessNetwork net, string table) =>
        (await net.Silo.PostAsync(Tables, new { v = net.Venue }, net.Admin)).Data()["tables"]!.AsArray().SingleOrDefault(t => t!["id"]!.GetValue<string>() == table);

    public static Task<GraphQLResponse> SaveTableRawAsync(CashlessNetwork net, string table, string name, string? auth = null) =>
        net.Silo.PostAsync("mutation($i: SaveTableInput!) { saveTable(input: $i) { id name fixed status } }",
            new { i = new { venueId = net.Venue, tableId = table, name } }, auth ?? net.Admin);

    public static Task<GraphQLResponse> ArchiveTableRawAsync(CashlessNetwork net, string table, string? auth = null) =>
        net.Silo.PostAsync("mutation($i: ArchiveTableInput!) { archiveTable(input: $i) }", new { i = new { venueId = net.Venue, tableId = table } }, auth ?? net.Admin);

    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public static string LineId(JsonNode order, int index) => order["lines"]![index]!["id"]!.GetValue<string>();

    public static string Str(JsonNode node, string field) => node[field]!.GetValue<string>();

    public static long Long(JsonNode node, string field) => node[field]!.GetValue<long>();
}

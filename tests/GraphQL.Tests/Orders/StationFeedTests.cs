using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Orders.OrderApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Orders;

/// <summary>Preparation stations follow their lines live over graphql-transport-ws, with the rights of the venue.</summary>
[Collection(SiloCollection.Name)]
public sealed class StationFeedTests(TestFieldsSiloFixture silo)
{
    private const string Feed = "subscription($v: ID!, $s: String!) { preparationStationEvents(venueId: $v, station: $s) { kind station lines { orderId tableId lineId name quantity status } } }";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ClientWebSocket> FollowAsync(string authorization, string venue, string station)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(silo.GraphQLUri) { Scheme = "ws" }.Uri, Ct);
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = authorization } });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        await SendAsync(socket, new JsonObject
        {
            ["id"] = "1",
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = Feed, ["variables"] = new JsonObject { ["v"] = venue, ["s"] = station } },
        });
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, Ct);

    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Wait);
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

        var parsed = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
        return parsed["type"]?.GetValue<string>() == "ping" ? await ReceiveAsync(socket) : parsed;
    }

    private static async Task<JsonNode> NextEventAsync(ClientWebSocket socket)
    {
        var message = (await ReceiveAsync(socket))!;
        Assert.True(message["type"]!.GetValue<string>() == "next", message.ToJsonString());
        return message["payload"]!["data"]!["preparationStationEvents"]!;
    }

    [Fact]
    public async Task The_kitchen_sees_what_it_has_to_do_then_each_line_sent_prepared_and_voided_and_the_bar_only_its_own()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var burger = await ProductAsync(net, await CategoryAsync(net, "Food", 1000, "kitchen"), "Burger", 1200);
        var beer = await ProductAsync(net, await CategoryAsync(net, "Drinks", 2000, "bar"), "Beer", 350);
        var waiting = await AddAsync(net, Id(await OpenAsync(net, "t1")), Line(burger, 1));
        await LinesAsync(net, "sendOrder", Id(waiting));

        using var kitchen = await FollowAsync(net.Admin, net.Venue, "kitchen");
        var snapshot = await NextEventAsync(kitchen);
        var order = await AddAsync(net, Id(await OpenAsync(net, "t2")), Line(burger, 2), Line(beer, 1));
        await LinesAsync(net, "sendOrder", Id(order));
        var sent = await NextEventAsync(kitchen);
        await LinesAsync(net, "markOrderLinesPrepared", Id(order), LineId(order, 0));
        var prepared = await NextEventAsync(kitchen);
        await VoidRawAsync(net, Id(waiting), [LineId(waiting, 0)], "Out of bread");
        var voided = await NextEventAsync(kitchen);

        Assert.Equal("SUBSCRIBED", snapshot["kind"]!.GetValue<string>());
        Assert.Equal(LineId(waiting, 0), snapshot["lines"]!.AsArray().Single()!["lineId"]!.GetValue<string>());
        Assert.Equal("SENT", sent["kind"]!.GetValue<string>());
        var line = sent["lines"]!.AsArray().Single()!;
        Assert.Equal(("Burger", 2, "t2"), (line["name"]!.GetValue<string>(), line["quantity"]!.GetValue<int>(), line["tableId"]!.GetValue<string>()));
        Assert.Equal("PREPARED", prepared["lines"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("VOIDED", voided["kind"]!.GetValue<string>());
        Assert.Equal(LineId(waiting, 0), voided["lines"]![0]!["lineId"]!.GetValue<string>());

        using var bar = await FollowAsync(net.Admin, net.Venue, "bar");
        var barSnapshot = await NextEventAsync(bar);
        Assert.Equal("Beer", barSnapshot["lines"]!.AsArray().Single()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_device_of_the_venue_follows_a_station_and_staff_of_another_venue_cannot()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"kitchen screen\") { key } }",
            new { v = net.Venue }, net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();

        using var screen = await FollowAsync(device, net.Venue, "kitchen");
        using var stranger = await FollowAsync(await silo.StaffAsync(other.Venue, "ADMIN"), net.Venue, "kitchen");
        using var deviceElsewhere = await FollowAsync(device, other.Venue, "kitchen");

        Assert.Equal("SUBSCRIBED", (await NextEventAsync(screen))["kind"]!.GetValue<string>());
        foreach (var refused in new[] { stranger, deviceElsewhere })
        {
            var answer = await ReceiveAsync(refused);
            Assert.True(answer?["payload"]?.ToJsonString().Contains("\"FORBIDDEN\"", StringComparison.Ordinal) == true, answer?.ToJsonString());
            Assert.Null(answer?["payload"]?["data"]?["preparationStationEvents"]);
        }
    }
}

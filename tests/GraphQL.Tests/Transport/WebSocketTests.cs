using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Transport;

[Collection(SiloCollection.Name)]
public sealed class WebSocketTests(TestFieldsSiloFixture silo)
{
    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        var uri = new UriBuilder(silo.GraphQLUri) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!.AsObject();
    }

    private async Task<ClientWebSocket> InitialisedAsync()
    {
        var token = await silo.AdminTokenAsync();
        var socket = await ConnectAsync();
        await SendAsync(socket, $$$"""{"type":"connection_init","payload":{"Authorization":"Bearer {{{token}}}"}}""");
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
        return socket;
    }

    [Fact]
    public async Task A_subscription_streams_next_messages_then_complete()
    {
        using var socket = await InitialisedAsync();

        await SendAsync(socket, """{"id":"1","type":"subscribe","payload":{"query":"subscription { countdown(from: 3) }"}}""");

        var values = new List<int>();
        JsonObject message;
        while ((message = (await ReceiveAsync(socket))!)["type"]!.GetValue<string>() == "next")
        {
            Assert.Equal("1", message["id"]!.GetValue<string>());
            values.Add(message["payload"]!["data"]!["countdown"]!.GetValue<int>());
        }

        Assert.Equal("complete", message["type"]!.GetValue<string>());
        Assert.Equal([3, 2, 1], values);
    }

    [Fact]
    public async Task A_query_over_the_socket_answers_once_and_completes()
    {
        using var socket = await InitialisedAsync();

        await SendAsync(socket, """{"id":"q","type":"subscribe","payload":{"query":"{ me { kind } }"}}""");

        var next = (await ReceiveAsync(socket))!;
        Assert.Equal("next", next["type"]!.GetValue<string>());
        Assert.Equal("STAFF", next["payload"]!["data"]!["me"]!["kind"]!.GetValue<string>());
        Assert.Equal("complete", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        using var socket = await InitialisedAsync();

        await SendAsync(socket, """{"type":"ping"}""");

        Assert.Equal("pong", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_operation_gets_an_error_message_with_codes()
    {
        using var socket = await InitialisedAsync();

        await SendAsync(socket, """{"id":"e","type":"subscribe","payload":{"query":"subscription { nope }"}}""");

        var error = (await ReceiveAsync(socket))!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscribing_before_connection_init_closes_the_socket_as_unauthorized()
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, """{"id":"1","type":"subscribe","payload":{"query":"subscription { countdown(from: 1) }"}}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4401, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task An_anonymous_socket_cannot_use_a_protected_subscription()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """{"type":"connection_init"}""");
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());

        await SendAsync(socket, """{"id":"1","type":"subscribe","payload":{"query":"subscription { countdown(from: 1) }"}}""");

        var error = (await ReceiveAsync(socket))!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("UNAUTHENTICATED", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forged_token_in_connection_init_is_refused()
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, """{"type":"connection_init","payload":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"}}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4403, (int)socket.CloseStatus!);
    }
}

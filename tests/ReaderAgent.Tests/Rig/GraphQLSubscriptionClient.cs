using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>
/// A screen's end of a graphql-transport-ws connection: connection_init with credentials, one subscribe, then the
/// payloads of its <c>next</c> messages in order.
/// </summary>
public sealed class GraphQLSubscriptionClient : IAsyncDisposable
{
    private const string OperationId = "1";

    private readonly ClientWebSocket _socket = new();

    private GraphQLSubscriptionClient()
    {
    }

    /// <summary>Connects, authenticates with <paramref name="authorization"/> ("Bearer …" or "Device …") and subscribes.</summary>
    public static async Task<GraphQLSubscriptionClient> SubscribeAsync(
        Uri graphQLUri, string authorization, string query, object variables, CancellationToken cancellationToken)
    {
        var client = new GraphQLSubscriptionClient();
        try
        {
            client._socket.Options.AddSubProtocol("graphql-transport-ws");
            await client._socket.ConnectAsync(new UriBuilder(graphQLUri) { Scheme = "ws" }.Uri, cancellationToken);
            await client.SendAsync(new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = authorization } }, cancellationToken);
            var ack = await client.ReceiveAsync(cancellationToken);
            if (ack?["type"]?.GetValue<string>() != "connection_ack")
            {
                throw new InvalidOperationException($"No connection_ack: {ack?.ToJsonString()}");
            }

            await client.SendAsync(new JsonObject
            {
                ["id"] = OperationId,
                ["type"] = "subscribe",
                ["payload"] = new JsonObject { ["query"] = query, ["variables"] = JsonSerializer.SerializeToNode(variables) },
            }, cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>data</c> of the next <c>next</c> message; throws on <c>error</c>, <c>complete</c> or a closed socket.</summary>
    public async Task<JsonObject> NextDataAsync(CancellationToken cancellationToken)
    {
        var message = await ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException("The server closed the socket.");
        while (message["type"]?.GetValue<string>() == "ping")
        {
            await SendAsync(new JsonObject { ["type"] = "pong" }, cancellationToken);
            message = await ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException("The server closed the socket.");
        }

        if (message["type"]?.GetValue<string>() != "next" || message["payload"]?["data"] is not JsonObject data)
        {
            throw new InvalidOperationException($"Expected a 'next' message with data: {message.ToJsonString()}");
        }

        return data;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await SendAsync(new JsonObject { ["id"] = OperationId, ["type"] = "complete" }, timeout.Token);
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }

        _socket.Dispose();
    }

    private Task SendAsync(JsonObject message, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);

    private async Task<JsonObject?> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())!.AsObject();
            }
        }
    }
}

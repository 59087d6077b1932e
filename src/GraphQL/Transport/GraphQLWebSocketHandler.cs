using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Identity;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Transport;

/// <summary>
/// The graphql-transport-ws protocol: connection_init → connection_ack, subscribe → next* → complete, error,
/// ping/pong, client complete. Credentials come from the upgrade request's Authorization header or from
/// <c>connection_init</c>'s payload (<c>{"Authorization": "Bearer …"}</c>), since browsers cannot set headers on sockets.
/// A socket outlives its credential's checks, so it re-authenticates before every <c>subscribe</c> and every
/// <see cref="GraphQLApiOptions.WebSocketRecheckInterval"/>, and re-runs each subscription's own checks
/// (<see cref="SubscriptionRechecks"/>): a revoked key or role, or an expired token, closes it with 4403. It runs at most
/// <see cref="GraphQLApiOptions.WebSocketMaxOperations"/> operations and queues at most
/// <see cref="GraphQLApiOptions.WebSocketMaxQueuedMessages"/> outgoing messages; a client that reads slower is closed (4420).
/// </summary>
public sealed class GraphQLWebSocketHandler(
    IServiceProvider services,
    IGraphQLTextSerializer serializer,
    CredentialAuthenticator authenticator,
    IOptions<GraphQLApiOptions> options,
    TimeProvider clock)
{
    public const string SubProtocol = "graphql-transport-ws";
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a slow reader's blocked send may last once its queue overflowed, before the socket is aborted.</summary>
    private static readonly TimeSpan OverflowGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a closed socket waits for the client's answering close frame.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);
    private readonly IServiceProvider _services = services;
    private readonly IGraphQLTextSerializer _serializer = serializer;
    private readonly CredentialAuthenticator _authenticator = authenticator;
    private readonly GraphQLApiOptions _options = options.Value;
    private readonly TimeProvider _clock = clock;

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"Use the '{SubProtocol}' WebSocket sub-protocol.", http.RequestAborted);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        await using var session = new Session(this, http, socket);
        await session.RunAsync();
    }

    private sealed class Session(GraphQLWebSocketHandler owner, HttpContext http, WebSocket socket) : IAsyncDisposable
    {
        private readonly Channel<string> _outbox = Channel.CreateBounded<string>(
            new BoundedChannelOptions(owner._options.WebSocketMaxQueuedMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly ConcurrentDictionary<string, IDisposable> _operations = new();
        private readonly ConcurrentDictionary<string, List<SubscriptionRechecks.Check>> _rechecks = new();
        private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private readonly CancellationTokenSource _abortSends = new();
        private volatile bool _overflowed;
        private volatile bool _ended;
        private bool _acknowledged;
        private Task _rechecking = Task.CompletedTask;

        // The credential the socket was opened with (upgrade header or connection_init), re-checked while it lives.
        private string? _authorization = http.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null;

        public IGraphQLTextSerializer Serializer => owner._serializer;

        public async Task RunAsync()
        {
            var writer = WriteLoopAsync();
            var initTimer = Task.Delay(InitTimeout, _closing.Token).ContinueWith(
                async t =>
                {
                    if (!t.IsCanceled && !_acknowledged)
                    {
                        await CloseAsync(4408, "Connection initialisation timeout");
                    }
                }, TaskScheduler.Default).Unwrap();
            try
            {
                while (!_closing.IsCancellationRequested && socket.State == WebSocketState.Open)
                {
                    var text = await ReceiveAsync();
                    if (text is null)
                    {
                        break;
                    }

                    await HandleMessageAsync(text);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
            finally
            {
                _ended = true;
                await _closing.CancelAsync();
                _outbox.Writer.TryComplete();
                await writer;
                await initTimer;
                await _rechecking;
            }
        }

        private async Task HandleMessageAsync(string text)
        {
            string? type;
            string? id;
            JsonElement payload;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                payload = root.TryGetProperty("payload", out var p) ? p.Clone() : default;
            }
            catch (JsonException)
            {
                await CloseAsync(4400, "Invalid message");
                return;
            }

            switch (type)
            {
                case "connection_init":
                    await InitAsync(payload);
                    break;
                case "ping":
                    Send("""{"type":"pong"}""");
                    break;
                case "pong":
                    break;
                case "subscribe" when !_acknowledged:
                    await CloseAsync(4401, "Unauthorized");
                    break;
                case "subscribe" when id is not null:
                    await SubscribeAsync(id, payload);
                    break;
                case "complete" when id is not null:
                    _rechecks.TryRemove(id, out _);
                    if (_operations.TryRemove(id, out var operation))
                    {
                        operation.Dispose();
                    }

                    break;
                default:
                    await CloseAsync(4400, "Invalid message");
                    break;
            }
        }

        private async Task InitAsync(JsonElement payload)
        {
            if (_acknowledged)
            {
                await CloseAsync(4429, "Too many initialisation requests");
                return;
            }

            if (payload.ValueKind == JsonValueKind.Object
                && (payload.TryGetProperty("Authorization", out var auth) || payload.TryGetProperty("authorization", out auth))
                && auth.ValueKind == JsonValueKind.String)
            {
                var principal = await owner._authenticator.AuthenticateAsync(auth.GetString()!, http.RequestAborted);
                if (principal is null)
                {
                    await CloseAsync(4403, "Forbidden");
                    return;
                }

                http.User = principal;
                _authorization = auth.GetString();
            }

            _acknowledged = true;
            Send("""{"type":"connection_ack"}""");
            _rechecking = RecheckLoopAsync();
        }

        /// <summary>Re-authenticates the socket's credential: the current principal, or null once it is revoked or expired.</summary>
        private async Task<ClaimsPrincipal?> CurrentUserAsync()
        {
            if (_authorization is null)
            {
                return http.User;
            }

            var principal = await owner._authenticator.AuthenticateAsync(_authorization, _closing.Token);
            if (principal is null || IsExpired(principal))
            {
                return null;
            }

            http.User = principal;
            return principal;
        }

        // Token validation allows some clock skew; a socket closes at the token's own expiry.
        private bool IsExpired(ClaimsPrincipal principal) =>
            principal.FindFirstValue("exp") is { } exp && long.TryParse(exp, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) <= owner._clock.GetUtcNow();

        private async Task RecheckLoopAsync()
        {
            using var timer = new PeriodicTimer(owner._options.WebSocketRecheckInterval, owner._clock);
            try
            {
                while (await timer.WaitForNextTickAsync(_closing.Token))
                {
                    if (!await StillAllowedAsync())
                    {
                        await CloseAsync(4403, "Forbidden");
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The socket is closing.
            }
        }

        private async Task<bool> StillAllowedAsync()
        {
            try
            {
                if (await CurrentUserAsync() is not { } user)
                {
                    return false;
                }

                foreach (var checks in _rechecks.Values)
                {
                    SubscriptionRechecks.Check[] current;
                    lock (checks)
                    {
                        current = [.. checks];
                    }

                    foreach (var check in current)
                    {
                        await check(user, http.RequestServices, _closing.Token);
                    }
                }

                return true;
            }
            catch (DomainException)
            {
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database or cluster is briefly unreachable: keep the socket and check again on the next tick.
                return true;
            }
        }

        private async Task SubscribeAsync(string id, JsonElement payload)
        {
            GraphQLRequest? request = null;
            try
            {
                request = payload.ValueKind == JsonValueKind.Object ? owner._serializer.Deserialize<GraphQLRequest>(payload.GetRawText()) : null;
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                request = null;
            }

            if (request is null || string.IsNullOrWhiteSpace(request.Query))
            {
                await CloseAsync(4400, "Invalid subscribe payload");
                return;
            }

            if (_operations.ContainsKey(id))
            {
                await CloseAsync(4409, $"Subscriber for {id} already exists");
                return;
            }

            if (_operations.Count >= owner._options.WebSocketMaxOperations)
            {
                Send(Message("error", id, owner._serializer.Serialize(new ExecutionErrors
                {
                    new ExecutionError($"This socket already runs {owner._options.WebSocketMaxOperations} operations; complete one first.") { Code = ErrorCodes.TooManyOperations },
                })));
                return;
            }

            // Every operation runs with the credential as it is now, not as it was at connection_init.
            if (await CurrentUserAsync() is null)
            {
                await CloseAsync(4403, "Forbidden");
                return;
            }

            var placeholder = new Placeholder();
            if (!_operations.TryAdd(id, placeholder))
            {
                await CloseAsync(4409, $"Subscriber for {id} already exists");
                return;
            }

            var checks = new List<SubscriptionRechecks.Check>();
            var endpoint = (GraphQLEndpoint)owner._services.GetService(typeof(GraphQLEndpoint))!;
            var result = await endpoint.ExecuteAsync(http, request, userContext: new Dictionary<string, object?> { [SubscriptionRechecks.Key] = checks });
            if (result.Streams is { Count: > 0 } streams)
            {
                _rechecks[id] = checks;
                var stream = streams.Values.First();
                var subscription = stream.Subscribe(new Observer(this, id));
                if (!_operations.TryUpdate(id, subscription, placeholder))
                {
                    subscription.Dispose();
                }

                return;
            }

            _operations.TryRemove(id, out _);
            if (result.Executed)
            {
                Send(Message("next", id, owner._serializer.Serialize(result)));
                Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""");
            }
            else
            {
                Send(Message("error", id, owner._serializer.Serialize(result.Errors)));
            }
        }

        private static string Message(string type, string id, string payloadJson) =>
            $$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"{{type}}","payload":{{payloadJson}}}""";

        private void Send(string message)
        {
            if (_outbox.Writer.TryWrite(message) || _overflowed || _ended)
            {
                return;
            }

            // The client reads slower than we produce: close it rather than queue without bound.
            _overflowed = true;
            _outbox.Writer.TryComplete();
            try
            {
                _abortSends.CancelAfter(OverflowGrace);
            }
            catch (ObjectDisposedException)
            {
                // The session ended meanwhile.
            }
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                await foreach (var message in _outbox.Reader.ReadAllAsync(CancellationToken.None))
                {
                    if (_overflowed)
                    {
                        await CloseAsync(4420, "Outgoing queue full: the client reads too slowly");
                        break;
                    }

                    if (socket.State != WebSocketState.Open)
                    {
                        break;
                    }

                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, _abortSends.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Peer gone, or a slow reader's send aborted.
            }
        }

        private async Task<string?> ReceiveAsync()
        {
            var buffer = new byte[8 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, received.Count);
                if (message.Length > owner._options.MaxRequestBytes)
                {
                    await CloseAsync(4413, "Message too large");
                    return null;
                }

                if (received.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }

        private async Task CloseAsync(int code, string reason)
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
                    // Give the client a moment to read the close frame and answer it: cancelling a pending receive at once
                    // would abort the connection and the client could lose the frame (and its code).
                    _closing.CancelAfter(CloseGrace);
                    return;
                }
                catch (WebSocketException)
                {
                    // Already closing.
                }
            }

            await _closing.CancelAsync();
        }

        public ValueTask DisposeAsync()
        {
            foreach (var operation in _operations.Values)
            {
                operation.Dispose();
            }

            _operations.Clear();
            _rechecks.Clear();
            _closing.Dispose();
            _abortSends.Dispose();
            return ValueTask.CompletedTask;
        }

        private sealed class Placeholder : IDisposable
        {
            public void Dispose()
            {
            }
        }

        private sealed class Observer(Session session, string id) : IObserver<ExecutionResult>
        {
            public void OnNext(ExecutionResult value) => session.Send(Message("next", id, session.Serializer.Serialize(value)));

            public void OnError(Exception error)
            {
                session._rechecks.TryRemove(id, out _);
                if (session._operations.TryRemove(id, out _))
                {
                    session.Send(Message("error", id, """[{"message":"The subscription failed.","extensions":{"code":"INTERNAL"}}]"""));
                }
            }

            public void OnCompleted()
            {
                session._rechecks.TryRemove(id, out _);
                if (session._operations.TryRemove(id, out _))
                {
                    session.Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""");
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>
/// A stand-in for the server's GraphQL endpoint on 127.0.0.1: records every POST to /graphql and answers with
/// <see cref="Respond"/>. Can be stopped and started again on the same port, to play a server that is down.
/// </summary>
public sealed class FakeGraphQlServer : IAsyncDisposable
{
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;
    private int _count;

    private FakeGraphQlServer(int port) => Port = port;

    /// <summary>The answer to each request; approves every tap unless a test says otherwise.</summary>
    public Func<RecordedRequest, FakeResponse> Respond { get; set; } = request => FakeResponse.Tap(request);

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/graphql");

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<FakeGraphQlServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new FakeGraphQlServer(0);
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>A server that is not running yet, on a port nobody listens to: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public static FakeGraphQlServer CreateStopped()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeGraphQlServer(port);
    }

    /// <summary>Starts listening (again) on <see cref="Port"/>, or a free port the first time if none was chosen.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/graphql", HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Stops listening: further connections are refused.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits for the next request not yet taken by this method.</summary>
    public ValueTask<RecordedRequest> NextRequestAsync(CancellationToken cancellationToken) => _arrivals.Reader.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = body.RootElement;
        var input = root.GetProperty("variables").GetProperty("input");
        var request = new RecordedRequest(
            Interlocked.Increment(ref _count),
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null,
            root.TryGetProperty("operationName", out var operation) ? operation.GetString() : null,
            root.GetProperty("query").GetString()!,
            input.GetProperty("readerName").GetString()!,
            input.GetProperty("uid").GetString()!,
            input.GetProperty("tapId").GetString()!);
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);

        var response = Respond(request);
        context.Response.StatusCode = response.StatusCode;
        if (response.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TiBillet.ReaderAgent.Taps;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Taps;

/// <summary>The GraphQL tap client and its retries, against a stand-in GraphQL server on loopback.</summary>
public sealed class TapForwarderTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sends_the_tap_mutation_with_the_device_key()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        using var agent = Build(server.Url);
        var tap = NewTap();

        var completed = await agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(tap, cancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal($"Device {AgentServices.DeviceKey}", request.Authorization);
        Assert.Equal("Tap", request.OperationName);
        Assert.Equal(GraphQlTapClient.TapMutation, request.Query);
        Assert.Equal((tap.ReaderName, tap.Uid, tap.TapId), (request.ReaderName, request.Uid, request.TapId));
        Assert.NotNull(completed.Result);
        Assert.Equal(tap.TapId, completed.Result.TapId);
        Assert.Equal(TapOutcomes.Approved, completed.Result.Outcome);
        Assert.Equal(350, completed.Result.Amount);
        Assert.Equal([new TapBalance("TLF", 1650), new TapBalance("FED", 0)], completed.Result.Balances);
        Assert.Equal(1, completed.Attempts);
        Assert.True(completed.IsPositive);
    }

    [Fact]
    public async Task Retries_after_503_reuse_the_same_tap_id()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        server.Respond = request => request.Number <= 2 ? FakeResponse.Status(503) : FakeResponse.Tap(request);
        using var agent = Build(server.Url);
        var tap = NewTap();

        var completed = await agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(tap, cancellationToken);

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, request => Assert.Equal(tap.TapId, request.TapId));
        Assert.Equal(3, completed.Attempts);
        Assert.Equal(TapOutcomes.Approved, completed.Result?.Outcome);
    }

    [Fact]
    public async Task Retries_after_an_unavailable_graphql_error_reuse_the_same_tap_id()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        server.Respond = request => request.Number == 1 ? FakeResponse.Error("UNAVAILABLE") : FakeResponse.Tap(request, "DECLINED", 0);
        using var agent = Build(server.Url);
        var tap = NewTap();

        var completed = await agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(tap, cancellationToken);

        Assert.Equal([tap.TapId, tap.TapId], server.Requests.Select(request => request.TapId));
        Assert.Equal(TapOutcomes.Declined, completed.Result?.Outcome);
        Assert.False(completed.IsPositive);
    }

    [Fact]
    public async Task Retries_while_the_server_is_down_reuse_the_same_tap_id()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = FakeGraphQlServer.CreateStopped();
        using var agent = Build(server.Url, observe: true);
        var client = (ObservedTapClient)agent.Services.GetRequiredService<ITapClient>();
        var tap = NewTap();

        var forwarding = agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(tap, cancellationToken);
        var refused = await client.NextAttemptAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);
        await server.StartAgainAsync(cancellationToken);
        var completed = await forwarding.WaitAsync(EventTimeout, cancellationToken);

        Assert.IsType<TapUnavailableException>(refused);
        Assert.Equal(tap.TapId, Assert.Single(server.Requests).TapId);
        Assert.True(client.TapIds.Count >= 2);
        Assert.All(client.TapIds, id => Assert.Equal(tap.TapId, id));
        Assert.Equal(TapOutcomes.Approved, completed.Result?.Outcome);
    }

    [Theory]
    [InlineData("UNAUTHENTICATED")]
    [InlineData("FORBIDDEN")]
    [InlineData("NOT_FOUND")]
    public async Task A_final_graphql_error_is_not_retried(string code)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        server.Respond = _ => FakeResponse.Error(code);
        using var agent = Build(server.Url);

        var completed = await agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(NewTap(), cancellationToken);

        Assert.Single(server.Requests);
        Assert.Null(completed.Result);
        Assert.Equal(code, completed.ErrorCode);
        Assert.Equal(1, completed.Attempts);
    }

    [Fact]
    public async Task Gives_up_after_the_retry_time()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        server.Respond = _ => FakeResponse.Status(502);
        using var agent = Build(server.Url, maxRetryTime: TimeSpan.FromSeconds(1));
        var observer = (RecordingTapObserver)agent.Services.GetRequiredService<ITapObserver>();
        var tap = NewTap();
        var started = Stopwatch.StartNew();

        var completed = await agent.Services.GetRequiredService<TapForwarder>().ForwardAsync(tap, cancellationToken);

        Assert.Equal(TapErrorCodes.Unavailable, completed.ErrorCode);
        Assert.True(completed.Attempts >= 2, $"{completed.Attempts} attempts");
        Assert.Equal(completed.Attempts, server.Requests.Count);
        Assert.All(server.Requests, request => Assert.Equal(tap.TapId, request.TapId));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"gave up after {started.Elapsed}");
        Assert.Same(completed, await observer.NextAsync(cancellationToken));
    }

    private static IHost Build(Uri serverUrl, TimeSpan? maxRetryTime = null, bool observe = false)
    {
        var builder = AgentServices.CreateBuilder(serverUrl, maxRetryTime);
        builder.Services.AddSingleton<ITapObserver, RecordingTapObserver>();
        builder.Services.AddReaderAgent();
        if (observe)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<ITapClient>(provider =>
                new ObservedTapClient(ActivatorUtilities.CreateInstance<GraphQlTapClient>(provider))));
        }

        return builder.Build();
    }

    private static CardTap NewTap() => new(Guid.NewGuid().ToString(), PcscDaemon.FirstReader, "04A1B2C3D4E5F6", Stopwatch.GetTimestamp());
}

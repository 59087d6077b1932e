using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TiBillet.ReaderAgent.Taps;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Taps;

/// <summary>The whole agent, as Program.cs wires it: virtual card → pcscd → watcher → GraphQL → observer.</summary>
public sealed class ReaderAgentHostTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_card_on_the_reader_reaches_the_server_once_and_its_result_is_reported()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // A card lifted by an earlier test may not be noticed yet; found at start, it would not be a tap.
        await PcscDaemon.WaitForCardAsync(PcscDaemon.FirstReader, present: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await using var server = await FakeGraphQlServer.StartAsync(cancellationToken);
        var observer = new RecordingTapObserver();
        var builder = AgentServices.CreateBuilder(server.Url);
        builder.Services.AddSingleton<ITapObserver>(observer);
        builder.Services.AddReaderAgent();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await using var card = new VirtualCard(0);
        try
        {
            await card.PlaceAsync("04A1B2C3D4E5F6", cancellationToken);
            var request = await server.NextRequestAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);
            var completed = await observer.NextAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);

            Assert.Equal($"Device {AgentServices.DeviceKey}", request.Authorization);
            Assert.Equal(PcscDaemon.FirstReader, request.ReaderName);
            Assert.Equal("04A1B2C3D4E5F6", request.Uid);
            Assert.Equal(request.TapId, completed.Tap.TapId);
            Assert.Equal(TapOutcomes.Approved, completed.Result?.Outcome);
            Assert.True(completed.Latency > TimeSpan.Zero && completed.Latency < EventTimeout, $"latency {completed.Latency}");
            Assert.Single(server.Requests);
            Assert.Equal(1, card.Apdus); // The UID read only: no light/beep command for a reader not known to take it.
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_agent_refuses_to_start_without_a_device_key()
    {
        var builder = AgentServices.CreateBuilder(new Uri("http://127.0.0.1:9/graphql"));
        builder.Configuration["ReaderAgent:DeviceKey"] = "";
        builder.Services.AddReaderAgent();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("DeviceKey", exception.Message, StringComparison.Ordinal);
    }
}

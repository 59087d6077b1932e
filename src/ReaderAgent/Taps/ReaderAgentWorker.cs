using System.Threading.Channels;

namespace TiBillet.ReaderAgent.Taps;

/// <summary>
/// The agent's main loop: the watcher reads taps on its own thread, and each tap is forwarded concurrently, so a
/// slow server on one tap never delays reading the next card.
/// </summary>
public sealed partial class ReaderAgentWorker(ReaderWatcher watcher, TapForwarder forwarder, ILogger<ReaderAgentWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var taps = Channel.CreateUnbounded<CardTap>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var watching = WatchAsync(taps.Writer, stoppingToken);
        var inFlight = new List<Task>();

        // The channel completes when the watcher stops (shutdown or failure), so every read tap is handed on.
        await foreach (var tap in taps.Reader.ReadAllAsync(CancellationToken.None))
        {
            inFlight.RemoveAll(task => task.IsCompleted);
            inFlight.Add(ForwardAsync(tap, stoppingToken));
        }

        await Task.WhenAll(inFlight);
        await watching; // A watcher failure ends the worker, which stops the host (and systemd restarts it).
    }

    private async Task WatchAsync(ChannelWriter<CardTap> writer, CancellationToken stoppingToken)
    {
        try
        {
            await watcher.RunAsync(tap => writer.TryWrite(tap), cancellationToken: stoppingToken);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task ForwardAsync(CardTap tap, CancellationToken stoppingToken)
    {
        try
        {
            await forwarder.ForwardAsync(tap, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogAbandoned(tap.TapId, tap.ReaderName);
        }
        catch (Exception ex)
        {
            LogForwardFailed(ex, tap.TapId, tap.ReaderName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tap {TapId} on {ReaderName} abandoned: the agent is stopping")]
    private partial void LogAbandoned(string tapId, string readerName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tap {TapId} on {ReaderName} failed unexpectedly")]
    private partial void LogForwardFailed(Exception exception, string tapId, string readerName);
}

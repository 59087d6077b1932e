using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiBillet.ReaderAgent.Taps;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Taps;

/// <summary>A <see cref="ReaderWatcher"/> running for one test, with its taps and presence reports to await.</summary>
public sealed class WatcherRun : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<CardTap> _taps = Channel.CreateUnbounded<CardTap>();
    private readonly Channel<ReaderPresence> _presence = Channel.CreateUnbounded<ReaderPresence>();
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggerFactory _loggers;

    private WatcherRun(ReaderAgentOptions options)
    {
        _loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Debug)
            .AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper!)));
        var watcher = new ReaderWatcher(Options.Create(options), _loggers.CreateLogger<ReaderWatcher>());
        Running = watcher.RunAsync(tap => _taps.Writer.TryWrite(tap), presence => _presence.Writer.TryWrite(presence), _stop.Token);
    }

    /// <summary>The watcher's task: completes when it stops.</summary>
    public Task Running { get; }

    /// <summary>Starts a watcher on the virtual readers.</summary>
    public static WatcherRun Start(TimeSpan? statusTimeout = null) => new(new ReaderAgentOptions
    {
        DeviceKey = "unused",
        ReaderNameFilter = "Virtual PCD",
        StatusTimeout = statusTimeout ?? TimeSpan.FromSeconds(1),
    });

    public ValueTask<CardTap> NextTapAsync(CancellationToken cancellationToken) => _taps.Reader.ReadAsync(cancellationToken);

    public bool TryTakeTap(out CardTap? tap) => _taps.Reader.TryRead(out tap);

    /// <summary>Waits until the watcher reports <paramref name="readerName"/> with (or without) a card.</summary>
    public async Task WaitForPresenceAsync(string readerName, bool cardPresent, CancellationToken cancellationToken)
    {
        while (await _presence.Reader.ReadAsync(cancellationToken) is var presence && (presence.ReaderName != readerName || presence.CardPresent != cardPresent))
        {
        }
    }

    /// <summary>Stops the watcher and waits for it, within an upper bound.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Running.WaitAsync(StopTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _stop.Dispose();
            _loggers.Dispose();
        }
    }
}

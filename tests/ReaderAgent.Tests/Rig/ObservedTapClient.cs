using System.Collections.Concurrent;
using System.Threading.Channels;
using TiBillet.ReaderAgent.Taps;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>Wraps the real tap client and records each attempt's tap id and failure, so a test can await attempts.</summary>
public sealed class ObservedTapClient(ITapClient inner) : ITapClient
{
    private readonly Channel<Exception?> _attempts = Channel.CreateUnbounded<Exception?>();
    private readonly ConcurrentQueue<string> _tapIds = new();

    /// <summary>The tap id of every attempt, in order.</summary>
    public IReadOnlyList<string> TapIds => [.. _tapIds];

    public async Task<TapResult> SendTapAsync(CardTap tap, CancellationToken cancellationToken = default)
    {
        _tapIds.Enqueue(tap.TapId);
        try
        {
            var result = await inner.SendTapAsync(tap, cancellationToken);
            _attempts.Writer.TryWrite(null);
            return result;
        }
        catch (Exception ex)
        {
            _attempts.Writer.TryWrite(ex);
            throw;
        }
    }

    /// <summary>Waits for the next attempt to end; null when it succeeded, else its exception.</summary>
    public ValueTask<Exception?> NextAttemptAsync(CancellationToken cancellationToken) => _attempts.Reader.ReadAsync(cancellationToken);
}

using System.Threading.Channels;
using TiBillet.ReaderAgent.Taps;

namespace TiBillet.Bench.Taps;

/// <summary>Hands each completed tap of one reader agent to the loop that placed the card. Never blocks the agent.</summary>
public sealed class TapLatencyObserver : ITapObserver
{
    private readonly Channel<TapCompleted> _completed = Channel.CreateUnbounded<TapCompleted>(new UnboundedChannelOptions { SingleReader = true });

    public void OnTapCompleted(TapCompleted completed) => _completed.Writer.TryWrite(completed);

    public async Task<TapCompleted> NextAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await _completed.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
}

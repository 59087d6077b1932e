using System.Threading.Channels;
using TiBillet.ReaderAgent.Taps;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>Collects completed taps so a test can await them.</summary>
public sealed class RecordingTapObserver : ITapObserver
{
    private readonly Channel<TapCompleted> _completed = Channel.CreateUnbounded<TapCompleted>();

    public void OnTapCompleted(TapCompleted completed) => _completed.Writer.TryWrite(completed);

    public ValueTask<TapCompleted> NextAsync(CancellationToken cancellationToken) => _completed.Reader.ReadAsync(cancellationToken);
}

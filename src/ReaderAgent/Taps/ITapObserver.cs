namespace TiBillet.ReaderAgent.Taps;

/// <summary>Told of every completed tap, e.g. to measure latency. Called inline: keep it short and never throw.</summary>
public interface ITapObserver
{
    void OnTapCompleted(TapCompleted completed);
}

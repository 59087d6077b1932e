namespace TiBillet.ReaderAgent.Taps;

/// <summary>A tap's end: the server's result, or the error that ended it, and how long it took.</summary>
/// <param name="ErrorCode">Set when <paramref name="Result"/> is null: a server code or one of <see cref="TapErrorCodes"/>.</param>
/// <param name="Attempts">Requests sent, retries included.</param>
/// <param name="Latency">From the UID read to the result (or the final failure), retries included.</param>
public sealed record TapCompleted(CardTap Tap, TapResult? Result, string? ErrorCode, int Attempts, TimeSpan Latency)
{
    /// <summary>True when the holder may take the tap as done (see <see cref="TapOutcomes.IsPositive"/>).</summary>
    public bool IsPositive => Result is not null && TapOutcomes.IsPositive(Result.Outcome);
}

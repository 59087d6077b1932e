namespace TiBillet.ReaderAgent.Taps;

/// <summary>Sends one tap to the server, once. Retrying is the caller's job (<see cref="TapForwarder"/>).</summary>
public interface ITapClient
{
    /// <summary>
    /// Sends <paramref name="tap"/> and returns the server's result. Throws <see cref="TapUnavailableException"/> for
    /// a failure worth retrying with the same tap id, <see cref="TapRejectedException"/> for a final refusal.
    /// </summary>
    Task<TapResult> SendTapAsync(CardTap tap, CancellationToken cancellationToken = default);
}

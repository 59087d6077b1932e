namespace TiBillet.ReaderAgent.Taps;

/// <summary>
/// A tap attempt failed in a way that may pass (connection refused, timeout, HTTP 5xx, GraphQL <c>UNAVAILABLE</c>):
/// retry with the same tap id. The server may or may not have acted on it.
/// </summary>
public sealed class TapUnavailableException(string reason, Exception? innerException = null)
    : Exception(reason, innerException);

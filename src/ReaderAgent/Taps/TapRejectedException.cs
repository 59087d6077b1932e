namespace TiBillet.ReaderAgent.Taps;

/// <summary>The server refused the tap for good (e.g. UNAUTHENTICATED, FORBIDDEN, NOT_FOUND): retrying cannot help.</summary>
public sealed class TapRejectedException(string code, string message) : Exception(message)
{
    /// <summary>The GraphQL <c>extensions.code</c>, or an agent code from <see cref="TapErrorCodes"/>.</summary>
    public string Code { get; } = code;
}

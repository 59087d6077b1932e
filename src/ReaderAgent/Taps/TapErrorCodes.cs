namespace TiBillet.ReaderAgent.Taps;

/// <summary>Error codes the agent itself gives a tap that got no result (server codes pass through as they are).</summary>
public static class TapErrorCodes
{
    /// <summary>The server stayed unreachable or unavailable for the whole retry time.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The server answered something that is not a GraphQL tap result.</summary>
    public const string BadResponse = "BAD_RESPONSE";
}

namespace TiBillet.ReaderAgent;

/// <summary>
/// Settings of the reader agent, section <c>ReaderAgent</c> (environment: <c>ReaderAgent__DeviceKey</c>, …).
/// </summary>
public sealed class ReaderAgentOptions
{
    public const string SectionName = "ReaderAgent";

    /// <summary>The server's GraphQL endpoint.</summary>
    public Uri ServerUrl { get; set; } = new("http://127.0.0.1:5080/graphql");

    /// <summary>This device's key, sent as <c>Authorization: Device &lt;key&gt;</c>. A secret: never logged.</summary>
    public string DeviceKey { get; set; } = "";

    /// <summary>Watch only readers whose name contains this text (case-insensitive); empty watches every reader.</summary>
    public string? ReaderNameFilter { get; set; }

    /// <summary>How long one SCardGetStatusChange waits before the watcher loops (and notices shutdown).</summary>
    public TimeSpan StatusTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one HTTP attempt may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a tap is retried, with the same tap id, while the server is unreachable or unavailable.</summary>
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Light and beep the reader on a result. Only readers known to accept the command (ACR122) are signalled.</summary>
    public bool Beep { get; set; } = true;
}

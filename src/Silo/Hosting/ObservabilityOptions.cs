namespace TiBillet.Silo.Hosting;

/// <summary>Metrics and traces (section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>
    /// Where Prometheus scrapes <c>/metrics</c>: a listener of its own, kept off the public one (the API's port answers 404
    /// there). Loopback by default; on a private network address for a scraper on another machine. Empty: no metrics
    /// endpoint. If the port is taken (a second silo on the same machine), the silo starts without it and logs a warning.
    /// </summary>
    public string MetricsUrl { get; set; } = "http://127.0.0.1:9464";

    /// <summary>OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) for traces and metrics; empty: nothing is exported.</summary>
    public string? OtlpEndpoint { get; set; }
}

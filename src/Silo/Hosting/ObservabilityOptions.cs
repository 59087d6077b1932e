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

    /// <summary>
    /// Serves the Orleans Dashboard (silos, grain activations, calls by grain method, reminders, and any grain's state) at
    /// <c>/dashboard/</c> on the metrics listener, never on the API's. Off by default: it profiles every grain call, and
    /// what it shows is for the instance's operators. Turn it on for every silo of a cluster (each one collects its own
    /// statistics); a silo without a metrics listener collects but serves no page.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) for traces and metrics; empty: nothing is exported.</summary>
    public string? OtlpEndpoint { get; set; }
}

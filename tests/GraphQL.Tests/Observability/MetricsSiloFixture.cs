using System.Globalization;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Observability;

/// <summary>
/// A silo of its own with the Prometheus listener on a free loopback port, the Orleans Dashboard on (served there), and
/// tracing on (an OTLP endpoint where nothing listens: the spans are read in-process, the exporter's failed sends are
/// harmless).
/// </summary>
public sealed class MetricsSiloFixture : SiloHostFixture
{
    public int MetricsPort { get; } = FreePort.Next();

    public Uri MetricsUri => new($"http://127.0.0.1:{MetricsPort}/metrics");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            .. base.Settings(),
            new("ObservabilityOptions:MetricsUrl", $"http://127.0.0.1:{MetricsPort.ToString(CultureInfo.InvariantCulture)}"),
            new("ObservabilityOptions:Dashboard", "true"),
            new("ObservabilityOptions:OtlpEndpoint", $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}"),
        ];
}

[CollectionDefinition(Name)]
public sealed class MetricsCollection : ICollectionFixture<MetricsSiloFixture>
{
    public const string Name = "Metrics";
}

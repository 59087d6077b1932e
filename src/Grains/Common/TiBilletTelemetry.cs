using System.Diagnostics;

namespace TiBillet.Grains.Common;

/// <summary>
/// The one trace source of our own code ("TiBillet"). Spans cost nothing until a listener (the OTLP exporter, when
/// configured) subscribes to it.
/// </summary>
public static class TiBilletTelemetry
{
    public const string ActivitySourceName = "TiBillet";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}

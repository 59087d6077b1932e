using System.Net;
using System.Net.Sockets;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TiBillet.Grains.Common;

namespace TiBillet.Silo.Hosting;

/// <summary>
/// OpenTelemetry for the silo: our meters ("TiBillet.*"), Orleans', Npgsql's (connection pool use), ASP.NET Core's and
/// the runtime's, scraped by Prometheus on a listener of their own; traces (HTTP → our "TiBillet" spans → Orleans grain
/// calls → Npgsql commands) exported only when an OTLP collector is configured.
/// </summary>
public static partial class Observability
{
    public const string MetricsPath = "/metrics";

    /// <summary>Where the Orleans Dashboard is served on the metrics listener, when <see cref="ObservabilityOptions.Dashboard"/> is on.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>Meter names listened to; a trailing <c>*</c> is a prefix wildcard.</summary>
    public static readonly string[] Meters =
    [
        "TiBillet.*",
        "Microsoft.Orleans",
        "Npgsql",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "System.Runtime",
    ];

    /// <summary>Trace sources exported with OTLP.</summary>
    public static readonly string[] TraceSources =
    [
        TiBilletTelemetry.ActivitySourceName,
        "Microsoft.AspNetCore",
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
        "Npgsql",
    ];

    /// <summary>The port the metrics listener was added on, or null when there is none.</summary>
    public static int? AddTiBilletObservability(this WebApplicationBuilder builder, ILogger log)
    {
        var options = Options(builder.Configuration);
        var metricsPort = AddMetricsListener(builder, options.MetricsUrl, log);
        var otlp = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        if (metricsPort is null && otlp is null)
        {
            return null;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tibillet-silo", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m =>
            {
                m.AddMeter(Meters);
                if (metricsPort is not null)
                {
                    m.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t.AddSource(TraceSources).AddOtlpExporter(o => o.Endpoint = otlp));
        }

        return metricsPort;
    }

    /// <summary>The Orleans Dashboard's statistics on this silo, when <see cref="ObservabilityOptions.Dashboard"/> is on.</summary>
    public static ISiloBuilder AddTiBilletDashboard(this ISiloBuilder silo, IConfiguration configuration) =>
        Options(configuration).Dashboard ? silo.AddDashboard() : silo;

    public static ObservabilityOptions Options(IConfiguration configuration) =>
        configuration.GetSection(nameof(ObservabilityOptions)).Get<ObservabilityOptions>() ?? new ObservabilityOptions();

    /// <summary>
    /// Serves <c>/metrics</c> on the metrics port only, and nothing else there but the Orleans Dashboard when it is on; the
    /// dashboard is never answered on another port.
    /// </summary>
    public static WebApplication MapTiBilletMetrics(this WebApplication app, int? metricsPort)
    {
        var dashboard = Options(app.Configuration).Dashboard;
        if (metricsPort is { } port)
        {
            // The socket's own port, which a client cannot forge (unlike the Host header).
            app.UseWhen(http => http.Connection.LocalPort == port, metrics =>
            {
                metrics.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
                // The dashboard's pages are endpoints, run at the end of the pipeline: only they go on from here.
                metrics.UseWhen(http => !(dashboard && http.Request.Path.StartsWithSegments(DashboardPath)), rest => rest.Run(NotFound));
            });
        }

        if (dashboard)
        {
            // Endpoints are routed whatever the port: any other port answers the dashboard's paths 404 before they run.
            app.UseWhen(http => http.Connection.LocalPort != metricsPort && http.Request.Path.StartsWithSegments(DashboardPath), other => other.Run(NotFound));
            if (metricsPort is not null)
            {
                app.MapOrleansDashboard(DashboardPath.TrimStart('/'));
            }
            else
            {
                LogDashboardWithoutListener(app.Logger);
            }
        }

        return app;
    }

    private static Task NotFound(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static int? AddMetricsListener(WebApplicationBuilder builder, string? metricsUrl, ILogger log)
    {
        if (string.IsNullOrWhiteSpace(metricsUrl))
        {
            return null;
        }

        var uri = new Uri(metricsUrl);
        if (uri.Port <= 0 || !IPAddress.TryParse(uri.Host, out var address))
        {
            throw new InvalidOperationException($"Observability:MetricsUrl must name an IP address and a fixed port (got '{metricsUrl}').");
        }

        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (urls?.Split(';').Any(u => Uri.TryCreate(u.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var api)
                                      && api.Port == uri.Port) == true)
        {
            throw new InvalidOperationException($"Observability:MetricsUrl ({metricsUrl}) must not share the API's port (Urls: {urls}).");
        }

        if (!PortIsFree(address, uri.Port))
        {
            LogMetricsPortTaken(log, metricsUrl);
            return null;
        }

        // The API's addresses stay first: tools and tests read the first bound address as the API's.
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? $"http://localhost:5000;{metricsUrl}" : $"{urls};{metricsUrl}");
        return uri.Port;
    }

    private static bool PortIsFree(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ObservabilityOptions:Dashboard is on but this silo has no metrics listener: it collects the dashboard's statistics and serves no page.")]
    private static partial void LogDashboardWithoutListener(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics port of {MetricsUrl} is in use (another silo on this machine?): this silo serves no /metrics.")]
    private static partial void LogMetricsPortTaken(ILogger log, string metricsUrl);
}

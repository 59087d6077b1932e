using TiBillet.Grains;
using TiBillet.GraphQL;

namespace TiBillet.Silo.Hosting;

/// <summary>
/// Builds the whole silo process: database (configured or private), Orleans, GraphQL, health. Program.cs runs it;
/// tests start the same host in-process with extra configuration.
/// </summary>
public sealed class TiBilletSiloHost : IAsyncDisposable
{
    private TiBilletSiloHost(WebApplication app, TiBilletDatabase database)
    {
        App = app;
        Database = database;
    }

    public WebApplication App { get; }

    public TiBilletDatabase Database { get; }

    public static async Task<TiBilletSiloHost> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        using var bootLogging = LoggerFactory.Create(b => b
            // Npgsql logs every command at Information: keep it to warnings unless configuration says otherwise.
            .AddFilter("Npgsql", LogLevel.Warning)
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true));

        // The database comes first: the Orleans providers read their queries from it when the silo starts.
        var database = await TiBilletDatabase.OpenAsync(builder.Configuration, bootLogging, cancellationToken);
        try
        {
            var hosting = builder.Configuration.GetSection(nameof(SiloHostingOptions)).Get<SiloHostingOptions>() ?? new SiloHostingOptions();
            var seed = builder.Configuration.GetSection(nameof(DemoSeedOptions)).Get<DemoSeedOptions>() ?? new DemoSeedOptions();
            builder.UseOrleans(silo =>
            {
                if (hosting.UseKubernetesHosting)
                {
                    // First, so our cluster identity (fixed ServiceId, configured ClusterId) is applied after its defaults;
                    // it post-configures the endpoints to the pod's IP.
                    silo.UseKubernetesHosting();
                }

                silo.AddTiBilletProviders(database.DataSource).AddTiBilletCluster(hosting).AddTiBilletClusterTuning(builder.Configuration);
                silo.AddStartupTask<FederatedAssetStartupTask>();
                silo.AddTiBilletDashboard(builder.Configuration);
                if (!string.IsNullOrWhiteSpace(Observability.Options(builder.Configuration).OtlpEndpoint))
                {
                    // Grain calls carry the caller's trace context, so a sale's spans form one trace across silos.
                    silo.AddActivityPropagation();
                }

                if (seed.Enabled ?? database.Managed is not null)
                {
                    silo.AddStartupTask<DemoSeedStartupTask>();
                }
            });
            builder.Services.AddTiBilletGrains();
            builder.Services.AddTiBilletGraphQL();
            builder.Services.AddTiBilletSiloServices();
            var metricsPort = builder.AddTiBilletObservability(bootLogging.CreateLogger("TiBillet.Silo"));
            if (database.Managed is not null)
            {
                builder.Services.AddPostgresSupervisor(database.Managed);
            }

            var app = builder.Build();
            app.MapTiBilletMetrics(metricsPort);
            app.MapTiBilletGraphQL();
            app.MapTiBilletHealth();
            return new TiBilletSiloHost(app, database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

namespace TiBillet.Silo.Hosting;

/// <summary>Host-level services: health checks, first-run admin, demo seed.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddTiBilletSiloServices(this IServiceCollection services)
    {
        services.AddTiBilletHealth();
        services.AddOptions<BootstrapOptions>().BindConfiguration(nameof(BootstrapOptions));
        // Group-commit tuning for operators (validated where the grains register the writer).
        services.AddOptions<TiBillet.Grains.Ledger.LedgerWriterOptions>().BindConfiguration(nameof(TiBillet.Grains.Ledger.LedgerWriterOptions));
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}

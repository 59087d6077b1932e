namespace TiBillet.Silo.Hosting;

/// <summary>Host-level services: health checks, first-run admin, demo seed.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddTiBilletSiloServices(this IServiceCollection services)
    {
        services.AddTiBilletHealth();
        services.AddOptions<BootstrapOptions>().BindConfiguration(nameof(BootstrapOptions));
        services.AddHostedService<AdminBootstrap>();
        return services;
    }
}

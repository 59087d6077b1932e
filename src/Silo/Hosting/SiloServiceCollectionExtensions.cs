namespace TiBillet.Silo.Hosting;

/// <summary>Host-level services: health checks, demo seed.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddTiBilletSiloServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTiBilletHealth();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace TiBillet.Grains;

/// <summary>Registers the services grains depend on (the ledger writer, read queries…).</summary>
public static class TiBilletGrainsServiceCollectionExtensions
{
    public static IServiceCollection AddTiBilletGrains(this IServiceCollection services)
    {
        return services;
    }
}

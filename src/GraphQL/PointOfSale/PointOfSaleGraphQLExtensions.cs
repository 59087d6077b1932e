using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>Registers the point-of-sale capability's schema fields and services.</summary>
public static class PointOfSaleGraphQLExtensions
{
    public static IServiceCollection AddPointOfSaleGraphQL(this IServiceCollection services)
    {
        services.AddSingleton<IQueryFields, PointOfSaleQueries>();
        services.AddSingleton<IMutationFields, PointOfSaleMutations>();
        services.AddSingleton<ISubscriptionFields, PointOfSaleSubscriptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PointOfSaleEventHub>();
        return services;
    }
}

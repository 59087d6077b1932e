using Microsoft.Extensions.DependencyInjection;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>Registers the point-of-sale capability's schema fields and services.</summary>
public static class PointOfSaleGraphQLExtensions
{
    public static IServiceCollection AddPointOfSaleGraphQL(this IServiceCollection services) => services;
}

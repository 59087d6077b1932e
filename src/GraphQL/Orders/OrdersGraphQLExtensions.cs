using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TiBillet.GraphQL.Orders;

/// <summary>Registers the orders capability's schema fields and services.</summary>
public static class OrdersGraphQLExtensions
{
    public static IServiceCollection AddOrdersGraphQL(this IServiceCollection services)
    {
        services.AddSingleton<OrderFields>();
        services.AddSingleton<IQueryFields>(sp => sp.GetRequiredService<OrderFields>());
        services.AddSingleton<IMutationFields>(sp => sp.GetRequiredService<OrderFields>());
        services.AddSingleton<ISubscriptionFields, OrderSubscriptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StationEventHub>();
        return services;
    }
}

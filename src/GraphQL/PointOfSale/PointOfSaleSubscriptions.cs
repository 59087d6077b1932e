using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Identity;
using TiBillet.Grains.PointOfSale;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>Live point-of-sale screens, over graphql-transport-ws.</summary>
public sealed class PointOfSaleSubscriptions : ISubscriptionFields
{
    public void AddTo(SubscriptionGraphType subscription) =>
        subscription.Field<NonNullGraphType<PointOfSaleEventGraphType>, PointOfSaleEvent>("pointOfSaleEvents")
            .Description("The point of sale's events as they happen: first SUBSCRIBED with the current state, then every tap and request change "
                         + "(venue VIEWER, or this till's device). Several screens may follow one till. NOT_FOUND if never created.")
            .PointOfSaleArguments()
            .RequirePolicy(Policies.Authenticated)
            .ResolveStreamAsync(async context =>
            {
                var id = PointOfSaleInputFields.IdFromArguments(context);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(context, id, VenueRole.Viewer);
                context.RecheckWhileOpen((user, services, ct) => PointOfSaleAccess.RequireStaffOrDeviceAsync(user, services, id, VenueRole.Viewer, ct));
                return await context.RequestServices!.GetRequiredService<PointOfSaleEventHub>().WatchAsync(id, context.CancellationToken);
            });
}

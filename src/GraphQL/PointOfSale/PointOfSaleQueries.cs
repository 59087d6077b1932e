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

/// <summary>Reading a point of sale.</summary>
public sealed class PointOfSaleQueries : IQueryFields
{
    public void AddTo(QueryGraphType query) =>
        query.Field<NonNullGraphType<PointOfSaleGraphType>>("pointOfSale")
            .Description("A point of sale: till, cashier card, pending request (venue VIEWER, or this till's device). NOT_FOUND if never created.")
            .PointOfSaleArguments()
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async context =>
            {
                var id = PointOfSaleInputFields.IdFromArguments(context);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(context, id, VenueRole.Viewer);
                return await context.RequestServices!.GetRequiredService<IGrainFactory>().GetPointOfSale(id).GetDetailsAsync(context.CancellationToken);
            });
}

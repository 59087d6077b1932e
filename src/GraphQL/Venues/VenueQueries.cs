using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Venues;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Venues;

public sealed class VenueQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<VenueGraphType>>("venue")
            .Description("A venue with its assets and spending order. NOT_FOUND for an unknown venue.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c => await c.Grains().GetVenue(VenueId.Parse(c.GetArgument<string>("id"))).GetDetailsAsync(c.CancellationToken));
    }
}

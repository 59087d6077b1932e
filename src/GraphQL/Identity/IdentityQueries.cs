using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Identity;

public sealed class IdentityQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<ViewerGraphType>>("me")
            .Description("The signed-in caller.")
            .RequirePolicy(Policies.Authenticated)
            .Resolve(context => ToViewer(context.User!));
    }

    private static Viewer ToViewer(ClaimsPrincipal user) => new(
        (user.FindFirstValue(TiBilletClaims.Kind) ?? "").ToUpperInvariant(),
        user.StaffUserId(),
        user.IsInstanceAdmin(),
        user.DeviceIdOf(),
        user.FindFirstValue(TiBilletClaims.VenueId),
        user.FindFirstValue(TiBilletClaims.PointOfSaleId),
        Guid.TryParse(user.FindFirstValue(TiBilletClaims.PartnerId), out var partner) ? partner : null);
}

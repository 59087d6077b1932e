using System.Security.Claims;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.PointOfSale;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>Who may drive or watch a point of sale: venue staff with a role, or the device registered for that very till.</summary>
internal static class PointOfSaleAccess
{
    /// <summary>
    /// Passes the device registered for <paramref name="id"/>, and staff holding at least <paramref name="minimum"/> at
    /// its venue. FORBIDDEN for any other device, a partner, or staff without the role.
    /// </summary>
    public static Task RequireStaffOrDeviceAsync(IResolveFieldContext context, PointOfSaleId id, VenueRole minimum) =>
        RequireStaffOrDeviceAsync(context.User ?? new ClaimsPrincipal(), context.RequestServices!, id, minimum, context.CancellationToken);

    /// <summary>As above, for <paramref name="user"/> outside a resolver (a WebSocket's periodic re-check).</summary>
    public static async Task RequireStaffOrDeviceAsync(ClaimsPrincipal user, IServiceProvider services, PointOfSaleId id, VenueRole minimum, CancellationToken cancellationToken)
    {
        if (user.IsKind(TiBilletClaims.DeviceKind))
        {
            if (user.FindFirstValue(TiBilletClaims.VenueId) != id.Venue.Value || user.FindFirstValue(TiBilletClaims.PointOfSaleId) != id.Code)
            {
                throw new DomainException(ErrorCodes.Forbidden, "This device is registered for another point of sale.");
            }

            return;
        }

        await services.GetRequiredService<VenueAccess>().RequireAsync(user, id.Venue.Value, minimum, cancellationToken);
    }

    /// <summary>The point of sale a device principal is registered for (its claims, never the request's input).</summary>
    public static PointOfSaleId DeviceOf(ClaimsPrincipal user) =>
        PointOfSaleId.Parse(user.FindFirstValue(TiBilletClaims.VenueId), user.FindFirstValue(TiBilletClaims.PointOfSaleId));
}

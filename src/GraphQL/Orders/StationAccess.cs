using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Orders;

/// <summary>Who may follow a preparation station: venue staff (VIEWER and up), or a device registered at one of the venue's tills.</summary>
internal static class StationAccess
{
    public static async Task RequireAsync(ClaimsPrincipal user, IServiceProvider services, VenueId venue, CancellationToken cancellationToken)
    {
        if (user.IsKind(TiBilletClaims.DeviceKind))
        {
            if (user.FindFirstValue(TiBilletClaims.VenueId) != venue.Value)
            {
                throw new DomainException(ErrorCodes.Forbidden, "This device is registered at another venue.");
            }

            return;
        }

        await services.GetRequiredService<VenueAccess>().RequireAsync(user, venue.Value, VenueRole.Viewer, cancellationToken);
    }
}

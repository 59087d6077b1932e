using System.Security.Claims;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Authorization;

/// <summary>Venue-scoped authorization: the instance admin may act everywhere; staff only where they hold a role.</summary>
public sealed class VenueAccess(IdentityStore identity)
{
    /// <summary>Throws FORBIDDEN unless <paramref name="user"/> holds at least <paramref name="minimum"/> at <paramref name="venueId"/>.</summary>
    public async Task RequireAsync(ClaimsPrincipal user, string venueId, VenueRole minimum, CancellationToken cancellationToken = default)
    {
        if (user.StaffUserId() is not { } userId)
        {
            throw new DomainException(user.Identity?.IsAuthenticated == true ? ErrorCodes.Forbidden : ErrorCodes.Unauthenticated,
                "A staff sign-in is needed for this venue.");
        }

        if (await identity.IsInstanceAdminAsync(userId, cancellationToken))
        {
            return;
        }

        var role = await identity.GetVenueRoleAsync(userId, venueId, cancellationToken);
        if (role is null || role < minimum)
        {
            throw new DomainException(ErrorCodes.Forbidden, $"This needs the {minimum.ToString().ToUpperInvariant()} role at this venue.");
        }
    }

    /// <summary>Throws FORBIDDEN unless the caller is a device registered for <paramref name="venueId"/>.</summary>
    public static void RequireDeviceOf(ClaimsPrincipal user, string venueId)
    {
        if (!user.IsKind(TiBilletClaims.DeviceKind) || user.FindFirstValue(TiBilletClaims.VenueId) != venueId)
        {
            throw new DomainException(ErrorCodes.Forbidden, "This device is not registered at this venue.");
        }
    }
}

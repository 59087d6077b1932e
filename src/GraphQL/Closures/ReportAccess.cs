using System.Security.Claims;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Closures;

/// <summary>
/// Who reads till reports: the venue's VIEWER, MANAGER and ADMIN, and the instance admin. A CASHIER sells but does not read
/// the venue's figures, so this is not a minimum role.
/// </summary>
public sealed class ReportAccess(IdentityStore identity)
{
    public async Task RequireReaderAsync(ClaimsPrincipal user, VenueId venue, CancellationToken cancellationToken)
    {
        if (user.StaffUserId() is not { } userId)
        {
            throw new DomainException(user.Identity?.IsAuthenticated == true ? ErrorCodes.Forbidden : ErrorCodes.Unauthenticated, "A staff sign-in is needed for this venue.");
        }

        if (await identity.IsInstanceAdminAsync(userId, cancellationToken))
        {
            return;
        }

        var role = await identity.GetVenueRoleAsync(userId, venue.Value, cancellationToken);
        if (role is not (VenueRole.Viewer or VenueRole.Manager or VenueRole.Admin))
        {
            throw new DomainException(ErrorCodes.Forbidden, "Till reports are read by the venue's VIEWER, MANAGER or ADMIN.");
        }
    }
}

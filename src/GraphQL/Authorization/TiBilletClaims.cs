using System.Security.Claims;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Authorization;

/// <summary>Claim names carried by our principals, and typed readers for them.</summary>
public static class TiBilletClaims
{
    public const string Kind = "tibillet:kind";
    public const string UserId = "sub";
    public const string InstanceAdmin = "tibillet:admin";
    public const string DeviceId = "tibillet:device";
    public const string VenueId = "tibillet:venue";
    public const string PointOfSaleId = "tibillet:pos";
    public const string PartnerId = "tibillet:partner";
    public const string Email = "email";

    public const string StaffKind = "staff";
    public const string DeviceKind = "device";
    public const string PartnerKind = "partner";
    public const string CustomerKind = "customer";

    public static bool IsKind(this ClaimsPrincipal user, string kind) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(Kind) == kind;

    public static bool IsInstanceAdmin(this ClaimsPrincipal user) =>
        user.IsKind(StaffKind) && user.FindFirstValue(InstanceAdmin) == "true";

    /// <summary>The staff user id, or null for other principals.</summary>
    public static Guid? StaffUserId(this ClaimsPrincipal user) =>
        user.IsKind(StaffKind) && Guid.TryParse(user.FindFirstValue(UserId), out var id) ? id : null;

    /// <summary>The signed-in customer's e-mail (a customer token proves it), or null for other principals.</summary>
    public static EmailAddress? CustomerEmail(this ClaimsPrincipal user) =>
        user.IsKind(CustomerKind) && EmailAddress.TryParse(user.FindFirstValue(Email), out var email) ? email : null;

    /// <summary>The device id, or null for other principals.</summary>
    public static Guid? DeviceIdOf(this ClaimsPrincipal user) =>
        user.IsKind(DeviceKind) && Guid.TryParse(user.FindFirstValue(DeviceId), out var id) ? id : null;
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Common;

namespace TiBillet.GraphQL.Identity;

/// <summary>
/// Turns an Authorization value (<c>Bearer &lt;jwt&gt;</c>, <c>Device &lt;key&gt;</c>, <c>Partner &lt;key&gt;</c>) into a principal.
/// Used by the HTTP authentication handler and by the WebSocket <c>connection_init</c>, so both accept exactly the same credentials.
/// </summary>
public sealed class CredentialAuthenticator(IdentityStore identity, IOptionsMonitor<JwtBearerOptions> jwtOptions)
{
    public const string DevicePrefix = "Device ";
    public const string PartnerPrefix = "Partner ";
    public const string BearerPrefix = "Bearer ";

    /// <summary>The principal, or null when the credential is unknown, revoked, expired or malformed.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string authorization, CancellationToken cancellationToken = default)
    {
        if (authorization.StartsWith(DevicePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var device = await identity.AuthenticateDeviceAsync(authorization[DevicePrefix.Length..].Trim(), cancellationToken);
            return device is null ? null : Principal(DevicePrefix.Trim(),
                new(TiBilletClaims.Kind, TiBilletClaims.DeviceKind),
                new(TiBilletClaims.DeviceId, device.DeviceId.ToString()),
                new(TiBilletClaims.VenueId, device.VenueId),
                new(TiBilletClaims.PointOfSaleId, device.PointOfSaleId));
        }

        if (authorization.StartsWith(PartnerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var partner = await identity.AuthenticatePartnerAsync(authorization[PartnerPrefix.Length..].Trim(), cancellationToken);
            return partner is null ? null : Principal(PartnerPrefix.Trim(),
                new(TiBilletClaims.Kind, TiBilletClaims.PartnerKind),
                new(TiBilletClaims.PartnerId, partner.PartnerId.ToString()));
        }

        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var options = jwtOptions.Get(JwtBearerDefaults.AuthenticationScheme);
            foreach (var handler in options.TokenHandlers)
            {
                var result = await handler.ValidateTokenAsync(authorization[BearerPrefix.Length..].Trim(), options.TokenValidationParameters);
                if (result.IsValid)
                {
                    return new ClaimsPrincipal(result.ClaimsIdentity);
                }
            }
        }

        return null;
    }

    private static ClaimsPrincipal Principal(string scheme, params Claim[] claims) => new(new ClaimsIdentity(claims, scheme));
}

using System.Collections.Concurrent;
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
public sealed class CredentialAuthenticator(
    IdentityStore identity,
    IOptionsMonitor<JwtBearerOptions> jwtOptions,
    IOptions<GraphQLApiOptions> apiOptions,
    TimeProvider clock)
{
    private const int MaxCachedKeys = 10_000;

    // Accepted device and partner keys, by key hash, for a short time: a till sends many requests a second and each
    // would otherwise cost a database round trip. A revocation on this silo removes the entry at once.
    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, DateTimeOffset Until)> _accepted = new(StringComparer.Ordinal);

    public const string DevicePrefix = "Device ";
    public const string PartnerPrefix = "Partner ";
    public const string BearerPrefix = "Bearer ";

    /// <summary>The principal, or null when the credential is unknown, revoked, expired or malformed.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string authorization, CancellationToken cancellationToken = default)
    {
        var isKey = authorization.StartsWith(DevicePrefix, StringComparison.OrdinalIgnoreCase) || authorization.StartsWith(PartnerPrefix, StringComparison.OrdinalIgnoreCase);
        if (!isKey)
        {
            return await AuthenticateUncachedAsync(authorization, cancellationToken);
        }

        var cacheKey = Convert.ToBase64String(SecretHasher.HashKey(authorization));
        var now = clock.GetUtcNow();
        if (_accepted.TryGetValue(cacheKey, out var hit) && hit.Until > now)
        {
            return hit.Principal;
        }

        var principal = await AuthenticateUncachedAsync(authorization, cancellationToken);
        if (principal is null)
        {
            _accepted.TryRemove(cacheKey, out _);
        }
        else if (apiOptions.Value.CredentialCacheTime > TimeSpan.Zero)
        {
            if (_accepted.Count >= MaxCachedKeys)
            {
                _accepted.Clear();
            }

            _accepted[cacheKey] = (principal, now + apiOptions.Value.CredentialCacheTime);
        }

        return principal;
    }

    /// <summary>Drops cached acceptances of a device or partner that was just revoked, so this silo refuses it on its next request.</summary>
    public void Forget(string claimType, Guid id)
    {
        var value = id.ToString();
        foreach (var (key, entry) in _accepted)
        {
            if (entry.Principal.FindFirstValue(claimType) == value)
            {
                _accepted.TryRemove(key, out _);
            }
        }
    }

    private async Task<ClaimsPrincipal?> AuthenticateUncachedAsync(string authorization, CancellationToken cancellationToken)
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

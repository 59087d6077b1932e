using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

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

    // Device and partner keys by key hash, for a short time: a till sends many requests a second and each would otherwise
    // cost a database round trip. One lookup per key at a time: when an entry expires, the requests in flight share the
    // next lookup instead of all querying at once (that burst, every second, stalled a busy till's requests for hundreds
    // of milliseconds). A revocation on this silo removes the entry at once.
    private readonly ConcurrentDictionary<string, CachedLookup> _accepted = new(StringComparer.Ordinal);

    public const string DevicePrefix = "Device ";
    public const string PartnerPrefix = "Partner ";
    public const string BearerPrefix = "Bearer ";

    /// <summary>The principal, or null when the credential is unknown, revoked, expired or malformed.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string authorization, CancellationToken cancellationToken = default)
    {
        var isKey = authorization.StartsWith(DevicePrefix, StringComparison.OrdinalIgnoreCase) || authorization.StartsWith(PartnerPrefix, StringComparison.OrdinalIgnoreCase);
        var cacheTime = apiOptions.Value.CredentialCacheTime;
        if (!isKey || cacheTime <= TimeSpan.Zero)
        {
            return await AuthenticateUncachedAsync(authorization, cancellationToken);
        }

        var cacheKey = Convert.ToBase64String(SecretHasher.HashKey(authorization));
        var now = clock.GetUtcNow();
        if (_accepted.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return await cached.Principal.WaitAsync(cancellationToken);
        }

        if (_accepted.Count >= MaxCachedKeys)
        {
            _accepted.Clear();
        }

        var mine = new CachedLookup(now + cacheTime);
        var current = _accepted.AddOrUpdate(cacheKey, mine, (_, old) => old.Until > now ? old : mine);
        if (ReferenceEquals(current, mine))
        {
            // Not tied to this caller's cancellation: other requests wait on the same lookup.
            try
            {
                var principal = await AuthenticateUncachedAsync(authorization, CancellationToken.None);
                mine.Complete(principal);
                if (principal is null)
                {
                    _accepted.TryRemove(new KeyValuePair<string, CachedLookup>(cacheKey, mine));
                }
            }
            catch (Exception ex)
            {
                _accepted.TryRemove(new KeyValuePair<string, CachedLookup>(cacheKey, mine));
                mine.Fail(ex);
            }
        }

        return await current.Principal.WaitAsync(cancellationToken);
    }

    /// <summary>Drops cached acceptances of a device or partner that was just revoked, so this silo refuses it on its next request.</summary>
    public void Forget(string claimType, Guid id)
    {
        var value = id.ToString();
        foreach (var (key, entry) in _accepted)
        {
            // A lookup still in flight may have read the key before the revocation: drop those too.
            if (!entry.Principal.IsCompletedSuccessfully || entry.Principal.Result?.FindFirstValue(claimType) == value)
            {
                _accepted.TryRemove(key, out _);
            }
        }
    }

    /// <summary>One key's lookup (in flight or done) and until when its answer is trusted.</summary>
    private sealed class CachedLookup(DateTimeOffset until)
    {
        private readonly TaskCompletionSource<ClaimsPrincipal?> _principal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset Until { get; } = until;

        public Task<ClaimsPrincipal?> Principal => _principal.Task;

        public void Complete(ClaimsPrincipal? principal) => _principal.TrySetResult(principal);

        public void Fail(Exception exception) => _principal.TrySetException(exception);
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

using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Common;

namespace TiBillet.GraphQL.Identity;

/// <summary>Issues staff JWTs. Venue roles are not in the token: they are read per request, so a revocation is immediate.</summary>
public sealed class TokenIssuer(SigningKeyProvider keys, IOptions<GraphQLApiOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, DateTimeOffset ExpiresAt) Issue(StaffUser user)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKeyProvider.Issuer,
            Audience = SigningKeyProvider.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(TiBilletClaims.UserId, user.UserId.ToString()),
                new Claim(TiBilletClaims.Kind, TiBilletClaims.StaffKind),
                new Claim(TiBilletClaims.InstanceAdmin, user.IsInstanceAdmin ? "true" : "false"),
            ]),
        });
        return (token, expires);
    }
}

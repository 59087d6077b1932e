using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Identity;

/// <summary>Issues staff and customer JWTs. Venue roles are not in the token: they are read per request, so a revocation is immediate.</summary>
public sealed class TokenIssuer(SigningKeyProvider keys, IOptions<GraphQLApiOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, DateTimeOffset ExpiresAt) Issue(StaffUser user) => Issue(options.Value.TokenLifetime,
        new Claim(TiBilletClaims.UserId, user.UserId.ToString()),
        new Claim(TiBilletClaims.Kind, TiBilletClaims.StaffKind),
        new Claim(TiBilletClaims.InstanceAdmin, user.IsInstanceAdmin ? "true" : "false"));

    /// <summary>A customer token: it proves the e-mail and grants only that customer's own wallet, cards and history.</summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueCustomer(EmailAddress email) => Issue(options.Value.CustomerTokenLifetime,
        new Claim(TiBilletClaims.UserId, email.Value),
        new Claim(TiBilletClaims.Kind, TiBilletClaims.CustomerKind),
        new Claim(TiBilletClaims.Email, email.Value));

    private (string Token, DateTimeOffset ExpiresAt) Issue(TimeSpan lifetime, params Claim[] claims)
    {
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKeyProvider.Issuer,
            Audience = SigningKeyProvider.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(claims),
        });
        return (token, expires);
    }
}

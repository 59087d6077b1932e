using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Identity;

/// <summary>Authentication schemes: JWT bearer for staff, keys for devices and partners, chosen by the header's prefix.</summary>
public static class IdentityAuthenticationExtensions
{
    private const string SelectorScheme = "TiBillet";

    public static IServiceCollection AddTiBilletAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyProvider>());
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<CredentialAuthenticator>();
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Bearer or key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith(CredentialAuthenticator.BearerPrefix, StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : KeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, KeyAuthenticationHandler>(KeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyProvider>((o, keys) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = SigningKeyProvider.Issuer,
                    ValidAudience = SigningKeyProvider.Audience,
                    IssuerSigningKeyResolver = (_, _, kid, _) => keys.ValidationKeys(string.IsNullOrEmpty(kid) ? null : kid),
                    NameClaimType = TiBilletClaims.UserId,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorization();
        return services;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Identity;

/// <summary>
/// The instance's own JWT signing key: random, created on first start and kept in PostgreSQL so every silo of the
/// cluster signs and validates with the same key. Loaded before the server accepts requests.
/// </summary>
public sealed class SigningKeyProvider(IdentityStore identity) : IHostedService
{
    public const string Issuer = "tibillet";
    public const string Audience = "tibillet-api";
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("The signing key is not loaded yet.");

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _key = new SymmetricSecurityKey(await identity.GetOrCreateInstanceSecretAsync("jwt-signing-key", 64, cancellationToken));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Identity;

/// <summary>
/// The instance's JWT signing keys, kept in PostgreSQL so every silo of the cluster signs and validates alike. The newest
/// key signs; every key not retired validates (chosen by the token's <c>kid</c>). Loaded before the server accepts
/// requests, then re-read every <see cref="GraphQLApiOptions.SigningKeyRefresh"/> so a rotation made on one silo is
/// seen by the others.
/// </summary>
public sealed partial class SigningKeyProvider(IdentityStore identity, IOptions<GraphQLApiOptions> options, ILogger<SigningKeyProvider> logger)
    : IHostedService, IDisposable
{
    public const string Issuer = "tibillet";
    public const string Audience = "tibillet-api";
    private readonly CancellationTokenSource _stopping = new();
    private volatile KeySet? _keys;
    private Task? _refresher;

    /// <summary>The key new tokens are signed with.</summary>
    public SymmetricSecurityKey Key => Keys.Current;

    /// <summary>The keys that validate a token: the one named by its <c>kid</c>, or every valid key for a token without one.</summary>
    public IEnumerable<SecurityKey> ValidationKeys(string? keyId)
    {
        var keys = Keys;
        return keyId is null ? keys.All : keys.All.Where(k => k.KeyId == keyId);
    }

    private KeySet Keys => _keys ?? throw new InvalidOperationException("The signing keys are not loaded yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        _refresher = RefreshLoopAsync(_stopping.Token);
    }

    /// <summary>Makes a new key current for this silo at once (others see it on their next refresh) and retires expired ones.</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var keepFor = (o.TokenLifetime > o.CustomerTokenLifetime ? o.TokenLifetime : o.CustomerTokenLifetime) + o.SigningKeyRefresh + TimeSpan.FromMinutes(1);
        var keyId = await identity.RotateSigningKeyAsync(keepFor, cancellationToken);
        await RefreshAsync(cancellationToken);
        LogRotated(logger, keyId);
        return keyId;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var keys = await identity.GetSigningKeysAsync(cancellationToken);
        var all = keys.Select(k => new SymmetricSecurityKey(k.Secret) { KeyId = k.KeyId }).ToArray();
        _keys = new KeySet(all[0], all);
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.SigningKeyRefresh);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RefreshAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Keep the keys we have; the next tick tries again.
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_refresher is not null)
        {
            await _refresher;
        }
    }

    public void Dispose() => _stopping.Dispose();

    private sealed record KeySet(SymmetricSecurityKey Current, SymmetricSecurityKey[] All);

    [LoggerMessage(Level = LogLevel.Information, Message = "JWT signing key rotated; new key {KeyId}")]
    private static partial void LogRotated(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the JWT signing keys; keeping the current ones")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

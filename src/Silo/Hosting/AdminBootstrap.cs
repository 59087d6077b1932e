using Microsoft.Extensions.Options;
using TiBillet.Grains.Identity;

namespace TiBillet.Silo.Hosting;

/// <summary>On first start, creates the instance admin and prints the login secret once (it is stored only as a hash).</summary>
public sealed partial class AdminBootstrap(IdentityStore identity, IOptions<BootstrapOptions> options, ILogger<AdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var secret = await identity.EnsureInstanceAdminAsync(o.AdminEmail, o.AdminSecret, cancellationToken);
        if (secret is null)
        {
            return;
        }

        LogCreated(logger);
        if (string.IsNullOrWhiteSpace(o.AdminSecret))
        {
            // Straight to the console, not the log pipeline: a secret must not end up in log storage.
            Console.WriteLine($"TiBillet: instance admin '{o.AdminEmail}' created. One-time login secret (shown only now): {secret}");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance admin created on first start")]
    private static partial void LogCreated(ILogger logger);
}

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

    /// <summary>The command that resets the instance admin's login secret instead of serving (<see cref="ResetAsync"/>).</summary>
    public const string ResetCommand = "reset-admin";

    /// <summary>
    /// <c>reset-admin</c>: opens the database the silo would use (starting the private PostgreSQL if that is the
    /// configuration), gives the instance admin named by <c>BootstrapOptions:AdminEmail</c> a new random login secret,
    /// prints it once on <paramref name="output"/>, and returns the process exit code. Serves nothing.
    /// </summary>
    public static async Task<int> ResetAsync(string[] args, TextWriter output, Action<IConfigurationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        using var logging = LoggerFactory.Create(b => b
            .AddFilter("Npgsql", LogLevel.Warning)
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true));
        var bootstrap = builder.Configuration.GetSection(nameof(BootstrapOptions)).Get<BootstrapOptions>() ?? new BootstrapOptions();
        var hashing = builder.Configuration.GetSection(nameof(SecretHashingOptions)).Get<SecretHashingOptions>() ?? new SecretHashingOptions();
        await using var database = await TiBilletDatabase.OpenAsync(builder.Configuration, logging, cancellationToken);
        var identity = new IdentityStore(database.DataSource, Options.Create(hashing));
        try
        {
            var secret = await identity.ResetInstanceAdminSecretAsync(bootstrap.AdminEmail, cancellationToken);
            // Straight to the console, not the log pipeline: a secret must not end up in log storage.
            await output.WriteLineAsync($"TiBillet: login secret of instance admin '{bootstrap.AdminEmail}' reset. New login secret (shown only now): {secret}");
            return 0;
        }
        catch (TiBillet.Grains.Common.DomainException)
        {
            await output.WriteLineAsync($"TiBillet: no instance admin '{bootstrap.AdminEmail}' in this database (set BootstrapOptions:AdminEmail).");
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance admin created on first start")]
    private static partial void LogCreated(ILogger logger);
}

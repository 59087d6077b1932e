using TiBillet.Silo.Database;

namespace TiBillet.Silo.Hosting;

/// <summary>Host-level services: health checks, first-run admin, demo seed.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddTiBilletSiloServices(this IServiceCollection services)
    {
        services.AddTiBilletHealth();
        services.AddOptions<BootstrapOptions>().BindConfiguration(nameof(BootstrapOptions));
        // Group-commit tuning for operators (validated where the grains register the writer).
        services.AddOptions<TiBillet.Grains.Ledger.LedgerWriterOptions>().BindConfiguration(nameof(TiBillet.Grains.Ledger.LedgerWriterOptions));
        services.AddHostedService<AdminBootstrap>();
        // The local outbox lives beside the private PostgreSQL's data folder unless set: both follow the working directory.
        services.AddOptions<TiBillet.Grains.Customers.MailOptions>().PostConfigure<IConfiguration>((mail, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(mail.OutboxDirectory))
            {
                var data = configuration.GetSection(nameof(LocalPostgresOptions)).Get<LocalPostgresOptions>()?.DataDirectory
                           ?? new LocalPostgresOptions().DataDirectory;
                mail.OutboxDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(data)) ?? ".", "outbox");
            }
        });
        return services;
    }

    /// <summary>Restarts the default run's private PostgreSQL when it dies (<see cref="PostgresSupervisor"/>).</summary>
    public static IServiceCollection AddPostgresSupervisor(this IServiceCollection services, LocalPostgres server)
    {
        services.AddSingleton(server);
        services.AddOptions<PostgresSupervisorOptions>().BindConfiguration(nameof(PostgresSupervisorOptions))
            .Validate(o => o.FirstRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.FirstRetryDelay, "PostgresSupervisorOptions: 0 < FirstRetryDelay <= MaxRetryDelay")
            .ValidateOnStart();
        services.AddHostedService<PostgresSupervisor>();
        return services;
    }
}

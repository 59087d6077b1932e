using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using TiBillet.Silo.Database;

namespace TiBillet.Silo.Hosting;

/// <summary>
/// The database the silo runs on: the configured server (<c>ConnectionStrings:TiBillet</c>), or else a private PostgreSQL
/// managed by this process. Migrated before Orleans starts, because the Orleans providers read their queries at start-up.
/// </summary>
public sealed class TiBilletDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "TiBillet";

    private TiBilletDatabase(NpgsqlDataSource dataSource, LocalPostgres? managed)
    {
        DataSource = dataSource;
        Managed = managed;
    }

    /// <summary>The one data source shared by the ledger, read queries and the Orleans providers.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The private server, when this process manages one.</summary>
    public LocalPostgres? Managed { get; }

    /// <summary>Connects (starting a private server when none is configured) and applies migrations.</summary>
    public static async Task<TiBilletDatabase> OpenAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        LocalPostgres? managed = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var options = configuration.GetSection(nameof(LocalPostgresOptions)).Get<LocalPostgresOptions>() ?? new LocalPostgresOptions();
            managed = await LocalPostgres.StartAsync(options, loggerFactory.CreateLogger<LocalPostgres>(), cancellationToken);
            connectionString = managed.ConnectionString(options.Database);
        }

        try
        {
            return await OpenAsync(connectionString, managed, loggerFactory, cancellationToken);
        }
        catch
        {
            if (managed is not null)
            {
                await managed.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Opens and migrates the database at <paramref name="connectionString"/>.</summary>
    public static async Task<TiBilletDatabase> OpenAsync(string connectionString, LocalPostgres? managed, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Our code keeps no session state (no SET, LISTEN, temp tables or session advisory locks), so a pooled
        // connection needs no reset: the reset is seven statements on every return to the pool, which measured a
        // third of the database's work for a wallet activation. An operator's connection string may still say otherwise.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        builder.UseLoggerFactory(loggerFactory);
        var dataSource = builder.Build();
        try
        {
            await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }

        return new TiBilletDatabase(dataSource, managed);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (Managed is not null)
        {
            await Managed.DisposeAsync();
        }
    }
}

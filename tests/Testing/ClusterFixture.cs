using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TiBillet.Grains;
using TiBillet.Grains.Common;
using TiBillet.Silo.Hosting;

using Xunit;

namespace TiBillet.Testing;

/// <summary>
/// An Orleans test cluster on a fresh, migrated database, with the production ADO.NET providers
/// (membership, grain storage, reminders) and the grains' services.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private TiBilletDatabase? _database;

    /// <summary>Silos started by <see cref="InitializeAsync"/>.</summary>
    protected virtual short InitialSilos => 1;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public TiBilletDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised.");

    public virtual async ValueTask InitializeAsync()
    {
        _database = await TestPostgres.CreateMigratedDatabaseAsync("cluster");
        var dataSource = _database.DataSource;
        var builder = new InProcessTestClusterBuilder(InitialSilos);
        builder.Options.ServiceId = StorageNames.ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            // The test cluster keeps its own membership (InProcessTestCluster does not expose turning it off);
            // ADO.NET clustering is exercised by the silo process tests instead.
            silo.AddTiBilletProviders(dataSource, clustering: false);
            silo.Services.AddTiBilletGrains();
            ConfigureSilo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Extra silo configuration for derived fixtures.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

using System.Globalization;
using Npgsql;

namespace TiBillet.Testing;

/// <summary>
/// Several silo processes on one machine and one database, each with its own silo, gateway and HTTP ports, joined
/// through the ADO.NET membership table and each serving GraphQL. Failure detection is shortened (seconds, not the
/// Orleans defaults of about a minute) through the same configuration keys an operator would set.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    /// <summary>Membership settings that declare a silo that stopped answering dead within a few seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastFailureDetection = new Dictionary<string, string>
    {
        ["ClusterMembershipOptions__ProbeTimeout"] = "00:00:01",
        ["ClusterMembershipOptions__NumMissedProbesLimit"] = "2",
        ["ClusterMembershipOptions__NumProbedSilos"] = "2",
        ["ClusterMembershipOptions__NumVotesForDeathDeclaration"] = "2",
        ["ClusterMembershipOptions__DeathVoteExpirationTimeout"] = "00:00:10",
        ["ClusterMembershipOptions__TableRefreshTimeout"] = "00:00:02",
        ["ClusterMembershipOptions__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["SiloMessagingOptions__ResponseTimeout"] = "00:00:10",
    };

    private SiloCluster(string connectionString, IReadOnlyList<SiloProcess> silos)
    {
        ConnectionString = connectionString;
        Silos = silos;
    }

    public string ConnectionString { get; }

    public IReadOnlyList<SiloProcess> Silos { get; }

    /// <summary>Starts <paramref name="count"/> silos: the first alone (it migrates and creates the admin), then the others together.</summary>
    public static async Task<SiloCluster> StartAsync(string connectionString, int count, IReadOnlyDictionary<string, string>? extra = null, CancellationToken cancellationToken = default)
    {
        var silos = new List<SiloProcess>();
        for (var i = 0; i < count; i++)
        {
            var settings = new Dictionary<string, string>(FastFailureDetection)
            {
                ["SiloHostingOptions__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            silos.Add(new SiloProcess(connectionString, settings));
        }

        var cluster = new SiloCluster(connectionString, silos);
        try
        {
            await silos[0].StartAsync(cancellationToken);
            await Task.WhenAll(silos.Skip(1).Select(s => s.StartAsync(cancellationToken)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The membership rows (status: 3 active, 6 dead) of the silo listening on <paramref name="siloPort"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(int Generation, int Status)>> MembershipAsync(int siloPort, CancellationToken cancellationToken = default)
    {
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        await using var cmd = db.CreateCommand("SELECT generation, status FROM orleans_membership WHERE port = $1 ORDER BY generation");
        cmd.Parameters.Add(new() { Value = siloPort });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    public const int Active = 3;
    public const int Dead = 6;

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}

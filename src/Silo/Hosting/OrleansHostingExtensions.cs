using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using TiBillet.Grains.Common;

namespace TiBillet.Silo.Hosting;

/// <summary>Orleans wiring shared by the silo and the test clusters, so tests run the production providers.</summary>
public static class OrleansHostingExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>ADO.NET storage, reminders and (optionally) clustering, all on the one PostgreSQL data source.</summary>
    public static ISiloBuilder AddTiBilletProviders(this ISiloBuilder silo, NpgsqlDataSource dataSource, bool clustering = true)
    {
        if (clustering)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.DataSource = dataSource;
            });
        }

        silo.AddAdoNetGrainStorage(StorageNames.Configuration, (OptionsBuilder<AdoNetGrainStorageOptions> ob) =>
            ob.Configure<IServiceProvider>((o, services) =>
            {
                o.Invariant = Invariant;
                o.DataSource = dataSource;
                // Stored state follows the same [Id]/[Alias] rules as grain calls, so renaming a C# type never orphans rows.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
            }));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.DataSource = dataSource;
        });
        silo.Services.AddSingleton(dataSource);
        return silo;
    }

    /// <summary>Cluster identity and endpoints for a production or default-run silo.</summary>
    public static ISiloBuilder AddTiBilletCluster(this ISiloBuilder silo, SiloHostingOptions options)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = StorageNames.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        if (options.UseKubernetesHosting && string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            // Ports only: the Kubernetes hosting fills the advertised address (the pod's IP) and listens on every address.
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = options.SiloPort;
                o.GatewayPort = options.GatewayPort;
            });
            return silo;
        }

        var advertised = string.IsNullOrWhiteSpace(options.AdvertisedAddress) ? IPAddress.Loopback : ResolveAdvertised(options.AdvertisedAddress);
        silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        return silo;
    }

    /// <summary>An IP as is; a host name (a container's service name) resolved once at start, IPv4 preferred.</summary>
    private static IPAddress ResolveAdvertised(string address)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }

        var addresses = Dns.GetHostAddresses(address);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
               ?? addresses.FirstOrDefault()
               ?? throw new InvalidOperationException($"SiloHostingOptions:AdvertisedAddress '{address}' resolves to no address.");
    }
}

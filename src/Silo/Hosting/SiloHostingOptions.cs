namespace TiBillet.Silo.Hosting;

/// <summary>How this silo joins its cluster (section <c>SiloHostingOptions</c>).</summary>
public sealed class SiloHostingOptions
{
    /// <summary>Names one deployment; silos with the same ClusterId form one cluster.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>
    /// IP other silos reach this one on, or a host name resolved once at start (a container's name); empty means loopback
    /// (single-machine run). The silo port listens on every address unless this is loopback: keep it on a private network.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// On Kubernetes: the silo's name and advertised address come from the pod (POD_NAME, POD_IP, POD_NAMESPACE), and
    /// silos whose pods are gone are declared dead at once. Clustering stays on PostgreSQL; off by default.
    /// </summary>
    public bool UseKubernetesHosting { get; set; }

    /// <summary>0 disables the gateway: the API is served in-process, so there are no external Orleans clients by default.</summary>
    public int GatewayPort { get; set; }
}

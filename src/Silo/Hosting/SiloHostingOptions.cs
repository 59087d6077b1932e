namespace TiBillet.Silo.Hosting;

/// <summary>How this silo joins its cluster (section <c>SiloHostingOptions</c>).</summary>
public sealed class SiloHostingOptions
{
    /// <summary>Names one deployment; silos with the same ClusterId form one cluster.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>IP other silos reach this one on; empty means loopback (single-machine run).</summary>
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    /// <summary>0 disables the gateway: the API is served in-process, so there are no external Orleans clients by default.</summary>
    public int GatewayPort { get; set; }
}

namespace TiBillet.Silo.Hosting;

/// <summary>First-run settings (section <c>BootstrapOptions</c>).</summary>
public sealed class BootstrapOptions
{
    /// <summary>E-mail of the instance admin created on first start.</summary>
    public string AdminEmail { get; set; } = "admin@tibillet.localhost";

    /// <summary>Login secret for that admin; empty means generate one and print it once.</summary>
    public string? AdminSecret { get; set; }
}

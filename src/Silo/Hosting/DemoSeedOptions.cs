namespace TiBillet.Silo.Hosting;

/// <summary>The demo network (section <c>DemoSeedOptions</c>). On by default only for the private database of the default run.</summary>
public sealed class DemoSeedOptions
{
    /// <summary>Seed the demo network; null means "when the silo manages its own PostgreSQL".</summary>
    public bool? Enabled { get; set; }
}

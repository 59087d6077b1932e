namespace TiBillet.Silo.Database;

/// <summary>Where the default run keeps the private PostgreSQL it manages (used only when no connection string is configured).</summary>
public sealed class LocalPostgresOptions
{
    /// <summary>Data folder; relative paths are resolved against the working directory.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".tibillet", "postgres");

    /// <summary>Database created and used inside the private cluster.</summary>
    public string Database { get; set; } = "tibillet";

    /// <summary>Explicit folder holding initdb/postgres; empty means discover it.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Extra server settings (name → value), passed as <c>-c name=value</c>.</summary>
    public Dictionary<string, string> Settings { get; set; } = [];
}

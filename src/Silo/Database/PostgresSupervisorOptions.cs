namespace TiBillet.Silo.Database;

/// <summary>How the default run restarts its private PostgreSQL after it dies (section <c>PostgresSupervisorOptions</c>).</summary>
public sealed class PostgresSupervisorOptions
{
    /// <summary>Pause before the first restart attempt; each failed attempt doubles it.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);
}

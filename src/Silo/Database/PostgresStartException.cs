namespace TiBillet.Silo.Database;

/// <summary>The private PostgreSQL exited while starting (a port taken, shared memory still held by a dying server).</summary>
public sealed class PostgresStartException(string message) : InvalidOperationException(message);

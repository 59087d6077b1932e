namespace TiBillet.Silo.Database;

/// <summary>The database schema cannot be brought to the version this silo expects.</summary>
public sealed class SchemaMigrationException(string message) : Exception(message);

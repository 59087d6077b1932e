namespace TiBillet.Silo.Database;

/// <summary>No PostgreSQL server binaries were found on this machine.</summary>
public sealed class PostgresNotInstalledException()
    : Exception("No PostgreSQL server binaries found (looked for pg_config --bindir and /usr/lib/postgresql/*/bin). " +
                "Install the Debian package 'postgresql' (apt-get install postgresql), or set ConnectionStrings__TiBillet.");

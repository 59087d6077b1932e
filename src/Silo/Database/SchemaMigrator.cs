using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TiBillet.Silo.Database;

/// <summary>
/// Applies the versioned scripts of deploy/postgres/migrations, in order, in one transaction under an advisory lock,
/// so silos starting together cannot race. Each applied script is recorded with its SHA-256; a script edited after it was
/// applied stops start-up instead of leaving the schema in an unknown state.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Any fixed 64-bit number unique to this purpose; all silos of every version must use the same one.
    private const long AdvisoryLockKey = 0x5442_696C_6C65_7401;

    /// <summary>
    /// Checksums of earlier texts of shipped scripts whose later edits touched comments only: a database that recorded
    /// one is accepted, and its record is brought up to the current checksum.
    /// </summary>
    private static readonly Dictionary<int, string[]> CommentOnlyEdits = new()
    {
        // Comments that cited design notes outside the repository now cite docs/architecture.md.
        [1] = ["ece0d06761ef29f429f8862100fa87f2dec6e0066bc38818353877eca7a0e6db"],
        [3] = ["96012405cb79e2ef8381152440912c0597e98e0a195f8177a4665ee42187d511"],
    };

    /// <summary>A script as shipped: version number, file name and text.</summary>
    public sealed record Migration(int Version, string Name, string Sql)
    {
        public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
    }

    /// <summary>The scripts embedded in the silo assembly, ordered by version.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Load(Assembly assembly, string resource)
    {
        var name = resource["migrations/".Length..];
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(name[..underscore], out var version))
        {
            throw new InvalidOperationException($"Migration file '{name}' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new Migration(version, name, reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>Applies the embedded migrations. Returns the versions applied by this call.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(Embedded(), cancellationToken);

    /// <summary>Applies <paramref name="migrations"/>; already-applied ones are skipped after their checksum is checked.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", conn, tx) { Parameters = { new() { Value = AdvisoryLockKey } } })
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var cmd = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new Dictionary<int, (string Name, string Checksum)>();
        await using (var cmd = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        var done = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var existing))
            {
                if (existing.Checksum != migration.Checksum
                    && CommentOnlyEdits.TryGetValue(migration.Version, out var former) && former.Contains(existing.Checksum))
                {
                    await using var update = new NpgsqlCommand("UPDATE schema_migrations SET checksum = $2 WHERE version = $1", conn, tx)
                    {
                        Parameters = { new() { Value = migration.Version }, new() { Value = migration.Checksum } },
                    };
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }
                else if (existing.Checksum != migration.Checksum)
                {
                    throw new SchemaMigrationException(
                        $"Migration {migration.Version} ({migration.Name}) was changed after it was applied " +
                        $"(database has {existing.Checksum[..12]}…, file has {migration.Checksum[..12]}…). " +
                        "Applied migrations are immutable: restore the file and add a new migration instead.");
                }

                continue;
            }

            await using (var cmd = new NpgsqlCommand(migration.Sql, conn, tx))
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var cmd = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", conn, tx)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name }, new() { Value = migration.Checksum } },
            })
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            LogApplied(logger, migration.Version, migration.Name);
            done.Add(migration.Version);
        }

        await tx.CommitAsync(cancellationToken);
        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}

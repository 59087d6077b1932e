using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;
using TiBillet.Silo.Hosting;

using Xunit;

namespace TiBillet.Testing;

/// <summary>
/// One throwaway PostgreSQL server per test assembly, started by the same code as the default run
/// (<see cref="LocalPostgres"/>) in a temporary folder. Each cluster fixture gets a fresh database on it.
/// Register it with <c>[assembly: AssemblyFixture(typeof(TestPostgres))]</c>.
/// </summary>
public sealed class TestPostgres : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static LocalPostgres? _server;
    private static string? _folder;
    private static int _databases;

    /// <summary>The running server, started on first use.</summary>
    public static async Task<LocalPostgres> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is null)
            {
                _folder = Directory.CreateTempSubdirectory("tibillet-test-pg-").FullName;
                _server = await LocalPostgres.StartAsync(
                    new LocalPostgresOptions
                    {
                        DataDirectory = Path.Combine(_folder, "data"),
                        Database = "postgres",
                        // Throwaway data: durability buys nothing here and costs seconds per test run.
                        Settings = new() { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" },
                    },
                    NullLogger.Instance);
            }

            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var server = await ServerAsync();
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(60, name.Length)];
        await server.CreateDatabaseIfMissingAsync(name);
        return server.ConnectionString(name);
    }

    /// <summary>Creates a new database with the full schema applied.</summary>
    public static async Task<TiBilletDatabase> CreateMigratedDatabaseAsync(string prefix = "t")
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        return await TiBilletDatabase.OpenAsync(connectionString, managed: null, NullLoggerFactory.Instance);
    }

    /// <summary>A plain data source on <paramref name="connectionString"/> for assertions in SQL.</summary>
    public static NpgsqlDataSource DataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    public ValueTask InitializeAsync() => new(ServerAsync());

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; failing the run over it would not be.
            }
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;

namespace TiBillet.Silo.Tests.Hosting;

/// <summary>
/// The default run as root from a folder the 'postgres' OS user cannot enter (a clone in /root, mode 700): the private
/// cluster is kept where that user can reach it, and the server starts.
/// </summary>
public sealed class RootRunTests : IDisposable
{
    private readonly string _private = Directory.CreateTempSubdirectory("tibillet-private-").FullName;
    private string? _relocated;

    [Fact]
    public async Task The_private_server_starts_from_a_folder_only_root_can_enter()
    {
        Assert.SkipUnless(Environment.UserName == "root", "Only a root run hands the server to the 'postgres' user.");
        File.SetUnixFileMode(_private, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var configured = Path.Combine(_private, "clone", "src", "Silo", ".tibillet", "postgres");
        var options = new LocalPostgresOptions { DataDirectory = configured, Database = "demo", Settings = new() { ["fsync"] = "off" } };

        await using (var server = await LocalPostgres.StartAsync(options, NullLogger.Instance, TestContext.Current.CancellationToken))
        {
            _relocated = Path.GetDirectoryName(server.DataDirectory);
            Assert.StartsWith(LocalPostgres.RootFallbackDirectory + "/", server.DataDirectory, StringComparison.Ordinal);
            Assert.True(File.Exists(configured + ".password"));
            Assert.Equal(42, await ScalarAsync(server, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42); SELECT v FROM kept"));
        }

        // Found again on the next start: same place, same password, same data.
        await using var again = await LocalPostgres.StartAsync(options, NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Equal(_relocated, Path.GetDirectoryName(again.DataDirectory));
        Assert.Equal(42, await ScalarAsync(again, "SELECT v FROM kept"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_private));
        await again.DisposeAsync();

        // The clone is deleted and cloned again at the same path: its password file is gone, the relocated cluster is not.
        // The old cluster is moved aside (kept) and a new one starts, rather than the run stopping.
        Directory.Delete(Path.Combine(_private, "clone"), recursive: true);
        await using var recloned = await LocalPostgres.StartAsync(options, NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Equal(_relocated, Path.GetDirectoryName(recloned.DataDirectory));
        Assert.Equal(0, await ScalarAsync(recloned, "SELECT count(*)::int FROM pg_tables WHERE tablename = 'kept'"));
        Assert.Single(Directory.GetDirectories(_relocated!, "postgres.orphaned-*"));
    }

    [Fact]
    public async Task A_folder_the_postgres_user_can_reach_keeps_the_cluster_where_configured()
    {
        var configured = Path.Combine(_private, "pg");

        await using var server = await LocalPostgres.StartAsync(
            new LocalPostgresOptions { DataDirectory = configured, Database = "demo", Settings = new() { ["fsync"] = "off" } },
            NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(configured, server.DataDirectory);
        Assert.Equal(1, await ScalarAsync(server, "SELECT 1"));
    }

    private static async Task<object?> ScalarAsync(LocalPostgres server, string sql)
    {
        await using var conn = new NpgsqlConnection(server.ConnectionString("demo"));
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        foreach (var folder in new[] { _private, _relocated })
        {
            try
            {
                if (folder is not null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

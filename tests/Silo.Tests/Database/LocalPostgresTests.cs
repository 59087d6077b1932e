using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;

namespace TiBillet.Silo.Tests.Database;

public sealed class LocalPostgresTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tibillet-localpg-").FullName;

    private LocalPostgresOptions Options => new() { DataDirectory = Path.Combine(_folder, "pg"), Database = "demo", Settings = new() { ["fsync"] = "off" } };

    private static async Task<object?> ScalarAsync(LocalPostgres server, string sql)
    {
        await using var conn = new NpgsqlConnection(server.ConnectionString("demo"));
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Data_survives_a_restart_of_the_private_server()
    {
        await using (var first = await LocalPostgres.StartAsync(Options, NullLogger.Instance, TestContext.Current.CancellationToken))
        {
            await ScalarAsync(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42);");
        }

        await using var second = await LocalPostgres.StartAsync(Options, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(42, await ScalarAsync(second, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task A_server_left_running_by_a_killed_process_is_stopped_and_replaced()
    {
        // Not disposed: stands for a silo killed with SIGKILL, whose PostgreSQL child outlives it.
        var orphan = await LocalPostgres.StartAsync(Options, NullLogger.Instance, TestContext.Current.CancellationToken);
        await ScalarAsync(orphan, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7);");

        await using var replacement = await LocalPostgres.StartAsync(Options, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(7, await ScalarAsync(replacement, "SELECT v FROM kept"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(orphan, "SELECT 1"));
    }

    [Fact]
    public async Task Missing_binaries_give_one_clear_line_naming_the_package()
    {
        var options = Options;
        options.BinDirectory = Path.Combine(_folder, "no-such-bin");

        var error = await Assert.ThrowsAsync<PostgresNotInstalledException>(() => LocalPostgres.StartAsync(options, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

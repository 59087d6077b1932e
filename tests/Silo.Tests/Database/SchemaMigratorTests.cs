using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TiBillet.Silo.Database;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Database;

public sealed class SchemaMigratorTests
{
    private static SchemaMigrator Migrator(NpgsqlDataSource ds) => new(ds, NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Migrations_are_applied_once_and_skipped_afterwards()
    {
        await using var ds = TestPostgres.DataSource(await TestPostgres.CreateDatabaseAsync("mig"));
        var all = SchemaMigrator.Embedded();

        var first = await Migrator(ds).MigrateAsync(TestContext.Current.CancellationToken);
        var second = await Migrator(ds).MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(all.Select(m => m.Version), first);
        Assert.Empty(second);
        await using var cmd = ds.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)all.Count, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        await using var ds = TestPostgres.DataSource(await TestPostgres.CreateDatabaseAsync("mig"));
        var all = SchemaMigrator.Embedded();
        var start = new TaskCompletionSource();

        var runs = Enumerable.Range(0, 4).Select(async _ =>
        {
            await start.Task;
            return await Migrator(ds).MigrateAsync(TestContext.Current.CancellationToken);
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(runs);

        // Exactly one migrator did the work; the others found it done.
        Assert.Single(results, r => r.Count == all.Count);
        Assert.Equal(results.Length - 1, results.Count(r => r.Count == 0));
        await using var cmd = ds.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)all.Count, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_database_migrated_before_a_comment_only_edit_still_starts_and_records_the_new_checksum()
    {
        await using var ds = TestPostgres.DataSource(await TestPostgres.CreateDatabaseAsync("mig"));
        await Migrator(ds).MigrateAsync(TestContext.Current.CancellationToken);
        // As recorded by a silo that shipped migration 3 before its comment stopped citing notes outside the repository.
        await using (var rewind = ds.CreateCommand("UPDATE schema_migrations SET checksum = '96012405cb79e2ef8381152440912c0597e98e0a195f8177a4665ee42187d511' WHERE version = 3"))
        {
            await rewind.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var applied = await Migrator(ds).MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Empty(applied);
        await using var cmd = ds.CreateCommand("SELECT checksum FROM schema_migrations WHERE version = 3");
        Assert.Equal(SchemaMigrator.Embedded().Single(m => m.Version == 3).Checksum, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_stops_start_up()
    {
        await using var ds = TestPostgres.DataSource(await TestPostgres.CreateDatabaseAsync("mig"));
        var original = new SchemaMigrator.Migration(1, "0001_test.sql", "CREATE TABLE t1 (id int);");
        await Migrator(ds).MigrateAsync([original], TestContext.Current.CancellationToken);

        var edited = original with { Sql = "CREATE TABLE t1 (id bigint);" };
        var error = await Assert.ThrowsAsync<SchemaMigrationException>(() => Migrator(ds).MigrateAsync([edited], TestContext.Current.CancellationToken));

        Assert.Contains("0001_test.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_behind()
    {
        await using var ds = TestPostgres.DataSource(await TestPostgres.CreateDatabaseAsync("mig"));
        SchemaMigrator.Migration[] scripts =
        [
            new(1, "0001_ok.sql", "CREATE TABLE ok1 (id int);"),
            new(2, "0002_broken.sql", "CREATE TABLE broken (id int); SELECT * FROM missing_table;"),
        ];

        await Assert.ThrowsAsync<PostgresException>(() => Migrator(ds).MigrateAsync(scripts, TestContext.Current.CancellationToken));

        await using var cmd = ds.CreateCommand("SELECT count(*) FROM pg_tables WHERE tablename IN ('ok1', 'broken', 'schema_migrations')");
        Assert.Equal(0L, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}

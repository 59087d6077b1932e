using Npgsql;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Hosting;

/// <summary>The silo process joins and leaves its cluster through our ADO.NET membership queries.</summary>
public sealed class SiloMembershipTests
{
    private static async Task<List<(int Generation, int Status)>> MembersAsync(string connectionString)
    {
        await using var ds = NpgsqlDataSource.Create(connectionString);
        await using var cmd = ds.CreateCommand("SELECT generation, status FROM orleans_membership WHERE deployment_id = 'test' ORDER BY start_time");
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    [Fact]
    public async Task A_silo_is_active_while_running_dead_after_a_graceful_stop_and_rejoins_as_a_new_generation()
    {
        var silo = new SiloHostFixture();
        await silo.InitializeAsync();
        try
        {
            Assert.Equal([3], (await MembersAsync(silo.ConnectionString)).Select(m => m.Status));

            await silo.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal([6], (await MembersAsync(silo.ConnectionString)).Select(m => m.Status));

            await silo.StartAsync(TestContext.Current.CancellationToken);
            var members = await MembersAsync(silo.ConnectionString);
            Assert.Equal([6, 3], members.Select(m => m.Status));
            Assert.NotEqual(members[0].Generation, members[1].Generation);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Data_written_through_the_api_survives_a_silo_restart()
    {
        var silo = new SiloHostFixture();
        await silo.InitializeAsync();
        try
        {
            var admin = "Bearer " + await silo.AdminTokenAsync();
            var created = await silo.PostAsync("mutation { createPartner(name: \"Survivor\") { id key } }", authorization: admin);
            var key = created.Data()["createPartner"]!["key"]!.GetValue<string>();

            await silo.StopAsync(TestContext.Current.CancellationToken);
            await silo.StartAsync(TestContext.Current.CancellationToken);

            var me = await silo.PostAsync("{ me { kind } }", authorization: "Partner " + key);
            Assert.Equal("PARTNER", me.Data()["me"]!["kind"]!.GetValue<string>());
            // The bootstrap ran once: the same admin secret still signs in, and no second admin was made.
            Assert.NotEmpty(await silo.AdminTokenAsync());
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}

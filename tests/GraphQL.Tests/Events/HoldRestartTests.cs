using TiBillet.GraphQL.Tests.Trust;

namespace TiBillet.GraphQL.Tests.Events;

public sealed class HoldRestartTests
{
    [Fact]
    public async Task A_hold_outlives_a_silo_restart_and_still_expires_on_time()
    {
        var silo = new TestFieldsSiloFixture();
        await silo.InitializeAsync();
        try
        {
            var s = await EventScenario.CreateAsync(silo);
            var id = await s.PublishedAsync(s.Input(capacity: 1, holdSeconds: 15));
            var (_, first) = silo.NewCustomer();
            var (_, second) = silo.NewCustomer();
            var held = EventScenario.Id((await s.ReserveAsync(id, first)).Data()["reserve"]!);

            await silo.StopAsync(TestContext.Current.CancellationToken);
            await silo.StartAsync(TestContext.Current.CancellationToken);

            // Still held after the restart: the seat is taken.
            Assert.Equal("SOLD_OUT", (await s.ReserveAsync(id, second)).ErrorCode());
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 3", held) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The hold did not expire.");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            Assert.Equal("HELD", (await s.ReserveAsync(id, second)).Data()["reserve"]!["state"]!.GetValue<string>());
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}

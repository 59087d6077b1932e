using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TiBillet.GraphQL.Tests.Transport;

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_graceful_stop_lets_in_flight_requests_complete()
    {
        var silo = new TestFieldsSiloFixture();
        await silo.InitializeAsync();
        try
        {
            var inFlight = silo.PostAsync("{ slow }");
            await silo.SlowEntered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            var stoppingSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            silo.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stoppingSignal.TrySetResult());

            var stopping = silo.StopAsync(TestContext.Current.CancellationToken);
            await stoppingSignal.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            silo.SlowGate.SetResult();
            var response = await inFlight;
            await stopping;

            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("finished", response.Data()["slow"]!.GetValue<string>());
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}

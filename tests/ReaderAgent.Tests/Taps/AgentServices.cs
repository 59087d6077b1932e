using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Taps;

/// <summary>Builds the agent's host as Program.cs does, with test settings and the test's log output.</summary>
public static class AgentServices
{
    public const string DeviceKey = "device-key-for-tests";

    public static HostApplicationBuilder CreateBuilder(Uri serverUrl, TimeSpan? maxRetryTime = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReaderAgent:ServerUrl"] = serverUrl.ToString(),
            ["ReaderAgent:DeviceKey"] = DeviceKey,
            ["ReaderAgent:ReaderNameFilter"] = PcscDaemon.FirstReader,
            ["ReaderAgent:MaxRetryTime"] = (maxRetryTime ?? TimeSpan.FromSeconds(30)).ToString(),
            ["ReaderAgent:RequestTimeout"] = "00:00:05",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper!));
        return builder;
    }
}

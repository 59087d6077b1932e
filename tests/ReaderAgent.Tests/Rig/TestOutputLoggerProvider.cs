using Microsoft.Extensions.Logging;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>Sends the agent's logs to the current test's output, so a failing test shows what the agent saw.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

    public void Dispose()
    {
    }
}

using Microsoft.Extensions.Logging;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>One category's logger for <see cref="TestOutputLoggerProvider"/>.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, string categoryName) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var category = categoryName[(categoryName.LastIndexOf('.') + 1)..];
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has ended; a background thread's late line has nowhere to go.
        }
    }
}

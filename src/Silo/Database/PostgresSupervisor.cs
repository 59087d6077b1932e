using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TiBillet.Silo.Database;

/// <summary>
/// Keeps the default run's private PostgreSQL running: when the server dies (crash, OOM kill, someone's SIGKILL), sales
/// fail fast with UNAVAILABLE and readiness turns 503; this restarts it, with a growing pause between attempts, on the
/// same port, so the silo recovers without a restart of its own. Not registered when a connection string is configured:
/// an external server is its operator's to supervise.
/// </summary>
public sealed partial class PostgresSupervisor(
    LocalPostgres server,
    NpgsqlDataSource dataSource,
    IOptions<PostgresSupervisorOptions> options,
    ILogger<PostgresSupervisor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var pid = server.ServerPid;
            try
            {
                await server.WaitForExitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            LogServerDied(logger, pid);
            var down = Stopwatch.StartNew();
            var delay = settings.FirstRetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // Wait first: a Ctrl+C reaches the server too, and the host's own stop must win over a restart.
                    await Task.Delay(delay, stoppingToken);
                    await server.RestartAsync(stoppingToken);
                    // Pooled connections point at the dead server: drop them, so the next request opens a fresh one.
                    dataSource.Clear();
                    LogServerRestarted(logger, server.ServerPid, attempt, down.Elapsed.TotalSeconds);
                    break;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (Exception e) when (e is PostgresStartException or NpgsqlException or IOException or InvalidOperationException)
                {
                    // A dying server's backends may still hold its shared memory for a moment: try again, later.
                    LogRestartFailed(logger, attempt, delay.TotalSeconds, e.Message);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxRetryDelay.Ticks));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The private PostgreSQL (pid {Pid}) exited unexpectedly; restarting it")]
    private static partial void LogServerDied(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The private PostgreSQL is running again (pid {Pid}, attempt {Attempt}, down {Seconds:F1} s)")]
    private static partial void LogServerRestarted(ILogger logger, int pid, int attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restarting the private PostgreSQL failed (attempt {Attempt}); next try after {Delay:F1} s: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, int attempt, double delay, string reason);
}

using System.Diagnostics;
using Microsoft.Extensions.Options;
using TiBillet.ReaderAgent.Feedback;

namespace TiBillet.ReaderAgent.Taps;

/// <summary>
/// Takes a read tap to its end: sends it, retrying transient failures with the same tap id under capped exponential
/// backoff for at most <see cref="ReaderAgentOptions.MaxRetryTime"/>, then signals the reader and tells the observers.
/// </summary>
public sealed partial class TapForwarder(
    ITapClient client,
    ReaderFeedback feedback,
    IEnumerable<ITapObserver> observers,
    IOptions<ReaderAgentOptions> options,
    ILogger<TapForwarder> logger)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ITapObserver[] _observers = [.. observers];

    /// <summary>Forwards <paramref name="tap"/>; never throws for a server failure, only for cancellation.</summary>
    public async Task<TapCompleted> ForwardAsync(CardTap tap, CancellationToken cancellationToken = default)
    {
        var firstAttempt = Stopwatch.GetTimestamp();
        var delay = FirstRetryDelay;
        var attempts = 0;
        TapResult? result = null;
        string? errorCode = null;
        while (result is null && errorCode is null)
        {
            attempts++;
            try
            {
                result = await client.SendTapAsync(tap, cancellationToken);
            }
            catch (TapUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var remaining = options.Value.MaxRetryTime - Stopwatch.GetElapsedTime(firstAttempt);
                if (remaining <= TimeSpan.Zero)
                {
                    errorCode = TapErrorCodes.Unavailable;
                    LogGaveUp(tap.TapId, tap.ReaderName, attempts, ex.Message);
                    break;
                }

                var wait = delay < remaining ? delay : remaining;
                LogRetrying(tap.TapId, attempts, ex.Message, wait.TotalMilliseconds);
                await Task.Delay(wait, cancellationToken);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
            catch (TapRejectedException ex)
            {
                errorCode = ex.Code;
                LogRejected(tap.TapId, tap.ReaderName, ex.Code, ex.Message);
            }
        }

        var completed = new TapCompleted(tap, result, errorCode, attempts, Stopwatch.GetElapsedTime(tap.ReadTimestamp));
        if (result is not null)
        {
            LogCompleted(tap.TapId, tap.ReaderName, result.Outcome, result.Amount, attempts, completed.Latency.TotalMilliseconds);
        }

        await feedback.SignalAsync(completed);
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnTapCompleted(completed);
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex, observer.GetType().Name, tap.TapId);
            }
        }

        return completed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tap {TapId} on {ReaderName}: {Outcome}, amount {Amount}, {Attempts} attempt(s), {LatencyMs:F1} ms")]
    private partial void LogCompleted(string tapId, string readerName, string outcome, long? amount, int attempts, double latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tap {TapId} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms with the same tap id")]
    private partial void LogRetrying(string tapId, int attempt, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tap {TapId} on {ReaderName} dropped after {Attempts} attempt(s): server unavailable ({Reason})")]
    private partial void LogGaveUp(string tapId, string readerName, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tap {TapId} on {ReaderName} refused by the server: {Code} {Message}")]
    private partial void LogRejected(string tapId, string readerName, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tap observer {Observer} failed on tap {TapId}")]
    private partial void LogObserverFailed(Exception exception, string observer, string tapId);
}

using GraphQL;
using GraphQL.Validation;
using TiBillet.Grains.Common;

namespace TiBillet.GraphQL.Throttling;

/// <summary>An error that tells the client when to try again (<c>extensions.retryAfter</c>, in whole seconds).</summary>
public interface IRetryAfterError
{
    int RetryAfterSeconds { get; }
}

/// <summary>RATE_LIMITED on one field: that sign-in was refused; the rest of the request ran.</summary>
public sealed class RateLimitedError : ExecutionError, IRetryAfterError
{
    public RateLimitedError(TimeSpan retryAfter)
        : base("Too many sign-in attempts; retry later.")
    {
        Code = ErrorCodes.RateLimited;
        RetryAfterSeconds = Seconds(retryAfter);
    }

    public int RetryAfterSeconds { get; }

    /// <summary>Whole seconds, at least one (a client waiting zero seconds would only be refused again).</summary>
    public static int Seconds(TimeSpan retryAfter) => (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue);
}

/// <summary>RATE_LIMITED for a whole request, found before execution: nothing in it ran.</summary>
public sealed class RateLimitedValidationError : ValidationError, IRetryAfterError
{
    public RateLimitedValidationError(string message, TimeSpan retryAfter)
        : base(message)
    {
        Code = ErrorCodes.RateLimited;
        RetryAfterSeconds = RateLimitedError.Seconds(retryAfter);
    }

    public int RetryAfterSeconds { get; }
}

using GraphQL;
using GraphQL.Execution;

namespace TiBillet.GraphQL.Throttling;

/// <summary>The engine's error shape, plus <c>extensions.retryAfter</c> (seconds) on errors that carry one.</summary>
public sealed class RetryAfterErrorInfoProvider(ErrorInfoProviderOptions options) : ErrorInfoProvider(options)
{
    public const string RetryAfterExtension = "retryAfter";

    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is IRetryAfterError limited)
        {
            var extensions = info.Extensions ?? new Dictionary<string, object?>();
            extensions[RetryAfterExtension] = limited.RetryAfterSeconds;
            info.Extensions = extensions;
        }

        return info;
    }
}

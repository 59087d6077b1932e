using Microsoft.Extensions.Options;

namespace TiBillet.ReaderAgent;

/// <summary>Rejects settings the agent cannot run with, at start rather than at the first tap.</summary>
public sealed class ReaderAgentOptionsValidator : IValidateOptions<ReaderAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, ReaderAgentOptions options)
    {
        var failures = new List<string>();
        const string Section = ReaderAgentOptions.SectionName;
        if (options.ServerUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Section}:ServerUrl must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.DeviceKey))
        {
            failures.Add($"{Section}:DeviceKey is required (environment variable {Section}__DeviceKey).");
        }

        if (options.StatusTimeout < TimeSpan.FromMilliseconds(100) || options.StatusTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Section}:StatusTimeout must be between 100 ms and 1 minute.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:RequestTimeout must be positive and at most 5 minutes.");
        }

        if (options.MaxRetryTime < TimeSpan.Zero || options.MaxRetryTime > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:MaxRetryTime must be between 0 and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

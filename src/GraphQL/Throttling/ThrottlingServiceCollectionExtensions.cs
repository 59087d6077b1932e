using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TiBillet.GraphQL.Throttling;

public static class ThrottlingServiceCollectionExtensions
{
    /// <summary>The sign-in limits (section <c>SignInThrottleOptions</c>) and the per-silo buckets that apply them.</summary>
    public static IServiceCollection AddSignInThrottle(this IServiceCollection services)
    {
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(nameof(SignInThrottleOptions))
            .Validate(o => o is { PerEmailLimit: > 0, PerAddressLimit: > 0, FailedLoginsPerEmail: > 0, FailedLoginsPerAddress: > 0, MaxSignInFieldsPerRequest: > 0 }
                           && o.PerEmailPeriod > TimeSpan.Zero && o.PerAddressPeriod > TimeSpan.Zero && o.FailedLoginPeriod > TimeSpan.Zero,
                "SignInThrottleOptions: every limit and period must be positive.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.TryAddSingleton<SignInThrottle>();
        return services;
    }
}

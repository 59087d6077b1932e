using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TiBillet.ReaderAgent.Feedback;
using TiBillet.ReaderAgent.Taps;

namespace TiBillet.ReaderAgent;

/// <summary>Registers the reader agent in a host.</summary>
public static class ReaderAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the watcher, the GraphQL tap client, feedback and the worker, with <see cref="ReaderAgentOptions"/> bound
    /// from the <c>ReaderAgent</c> section and validated at start. An <see cref="ITapClient"/> or
    /// <see cref="ITapObserver"/> registered before this call is kept.
    /// </summary>
    public static IServiceCollection AddReaderAgent(this IServiceCollection services)
    {
        services.AddOptions<ReaderAgentOptions>().BindConfiguration(ReaderAgentOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReaderAgentOptions>, ReaderAgentOptionsValidator>());
        services.AddHttpClient(GraphQlTapClient.HttpClientName, (provider, client) =>
            client.Timeout = provider.GetRequiredService<IOptions<ReaderAgentOptions>>().Value.RequestTimeout);
        services.TryAddSingleton<ITapClient, GraphQlTapClient>();
        services.TryAddSingleton<ReaderWatcher>();
        services.TryAddSingleton<ReaderFeedback>();
        services.TryAddSingleton<TapForwarder>();
        services.AddHostedService<ReaderAgentWorker>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains;

/// <summary>Registers the services grains depend on (the ledger writer, read queries…).</summary>
public static class TiBilletGrainsServiceCollectionExtensions
{
    /// <summary>
    /// The ledger writer (one per silo), SQL stores and queries, and the venue profile cache. Needs an
    /// <c>NpgsqlDataSource</c> singleton (registered by the silo's providers). <paramref name="configureLedger"/> tunes group commit.
    /// </summary>
    public static IServiceCollection AddTiBilletGrains(this IServiceCollection services, Action<LedgerWriterOptions>? configureLedger = null)
    {
        var options = services.AddOptions<LedgerWriterOptions>()
            .Validate(o => o.MaxBatch >= 1 && o.MaxWait >= TimeSpan.Zero && o.MaxWait <= TimeSpan.FromSeconds(1) && o.PipelineMinBatch >= 1,
                "LedgerWriterOptions: MaxBatch ≥ 1, 0 ≤ MaxWait ≤ 1 s, PipelineMinBatch ≥ 1.");
        if (configureLedger is not null)
        {
            options.Configure(configureLedger);
        }

        services.TryAddSingleton<LedgerWriter>();
        services.TryAddSingleton<LedgerDirectory>();
        services.TryAddSingleton<LedgerQueries>();
        services.TryAddSingleton<LedgerVerifier>();
        services.TryAddSingleton<WalletStore>();
        services.TryAddSingleton<CardStore>();
        services.TryAddSingleton<CardLinkStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VenueProfileCache>();
        services.TryAddSingleton<CashierRightsCache>();
        services.TryAddSingleton<CardPayments>();
        services.TryAddSingleton<IVenueFederationSource, NoVenueFederations>();
        // The default run's outbox; the silo registers the SMTP sender first when one is configured.
        services.TryAddSingleton<IMailSender>(sp => new OutboxMailSender(
            Path.Combine(".tibillet", "outbox"), sp.GetRequiredService<ILogger<OutboxMailSender>>()));
        return services;
    }
}

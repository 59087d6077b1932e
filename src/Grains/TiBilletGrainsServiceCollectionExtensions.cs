using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Events;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Tickets;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.OnlinePayments;
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
        services.TryAddSingleton<LedgerHistory>();
        services.TryAddSingleton<LedgerVerifier>();
        services.TryAddSingleton<WalletStore>();
        services.TryAddSingleton<IUsedKeys>(sp => sp.GetRequiredService<WalletStore>());
        services.TryAddSingleton<CardStore>();
        services.TryAddSingleton<ICardLinks>(sp => sp.GetRequiredService<CardStore>());
        services.TryAddSingleton<CardLinkStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VenueProfileCache>();
        services.TryAddSingleton<CashierRightsCache>();
        services.TryAddSingleton<CardWallets>();
        services.TryAddSingleton<Catalog.CatalogStore>();
        services.TryAddSingleton<Till.TillCheckout>();
        services.TryAddSingleton<Orders.OrderStore>();
        services.TryAddSingleton<Till.SaleLineStore>();
        services.TryAddSingleton<Closures.TillDayStore>();
        services.TryAddSingleton<Closures.TillReportStore>();
        services.AddOptions<Closures.TillOptions>().BindConfiguration(nameof(Closures.TillOptions))
            .Validate(o => o.ClosureSettleMargin >= TimeSpan.Zero && o.ClosureSettleMargin <= TimeSpan.FromMinutes(5), "TillOptions:ClosureSettleMargin is 0 to 5 minutes.");
        services.TryAddSingleton<IVenueFederationSource, NoVenueFederations>();
        services.TryAddSingleton<MembershipStore>();
        services.TryAddSingleton<IMembershipChecker, MembershipChecker>();
        services.AddOptions<StripeOptions>().BindConfiguration(nameof(StripeOptions))
            .Validate(o => Uri.TryCreate(o.ApiBase, UriKind.Absolute, out _) && o.WebhookTolerance > TimeSpan.Zero && !string.IsNullOrWhiteSpace(o.Currency)
                           && (!o.Enabled || !string.IsNullOrWhiteSpace(o.WebhookSecret)),
                "StripeOptions: ApiBase an absolute URL, WebhookTolerance > 0, a Currency, and a WebhookSecret with a SecretKey.")
            .ValidateOnStart();
        services.TryAddSingleton<StripeGateway>();
        services.TryAddSingleton<CheckoutStore>();
        services.TryAddSingleton<OnlineCheckout>();
        services.AddOptions<MailOptions>().BindConfiguration(nameof(MailOptions))
            .Validate(o => string.IsNullOrWhiteSpace(o.SmtpHost) || (o.SmtpPort is > 0 and < 65536 && MimeKit.MailboxAddress.TryParse(o.Sender, out _)),
                "MailOptions: with SmtpHost, SmtpPort is 1 to 65535 and Sender an e-mail address.")
            .ValidateOnStart();
        services.AddOptions<CustomerSignInOptions>().BindConfiguration(nameof(CustomerSignInOptions))
            .Validate(o => o.CodeLifetime > TimeSpan.Zero && o.MaxFailedAttempts >= 1 && Uri.TryCreate(o.LinkBaseUrl, UriKind.Absolute, out _),
                "CustomerSignInOptions: CodeLifetime > 0, MaxFailedAttempts ≥ 1, LinkBaseUrl an absolute URL.")
            .ValidateOnStart();
        services.AddOptions<ReservationOptions>().BindConfiguration(nameof(ReservationOptions))
            .Validate(o => o.DefaultHold > TimeSpan.Zero && o.ExpiryScan > TimeSpan.Zero && Uri.TryCreate(o.LinkBaseUrl, UriKind.Absolute, out _),
                "ReservationOptions: DefaultHold > 0, ExpiryScan > 0, LinkBaseUrl an absolute URL.")
            .ValidateOnStart();
        services.TryAddSingleton<EventStore>();
        services.TryAddSingleton<AgendaQueries>();
        services.TryAddSingleton<DoorCheckIn>();
        services.TryAddSingleton<ReservationWriter>();
        services.TryAddSingleton<ReservationPayments>();
        services.TryAddSingleton<MemberPrices>();
        services.TryAddSingleton<TicketKeys>();
        services.TryAddSingleton<CustomerStore>();
        services.TryAddSingleton<CustomerSignIn>();
        // SMTP when a server is configured; otherwise the local outbox (console and files), so a newcomer can still sign in.
        services.TryAddSingleton<IMailSender>(sp =>
        {
            var mail = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(mail.SmtpHost)
                ? new OutboxMailSender(mail.OutboxDirectory ?? Path.Combine(".tibillet", "outbox"), sp.GetRequiredService<ILogger<OutboxMailSender>>())
                : new SmtpMailSender(mail, sp.GetRequiredService<ILogger<SmtpMailSender>>());
        });
        return services;
    }
}

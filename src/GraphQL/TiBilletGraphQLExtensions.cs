using GraphQL;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Customers;
using TiBillet.GraphQL.Ide;
using TiBillet.GraphQL.Throttling;
using TiBillet.GraphQL.Identity;
using TiBillet.GraphQL.Instance;
using TiBillet.GraphQL.Cards;
using TiBillet.GraphQL.Ledger;
using TiBillet.GraphQL.Memberships;
using TiBillet.GraphQL.OnlinePayments;
using TiBillet.GraphQL.Orders;
using TiBillet.GraphQL.PointOfSale;
using TiBillet.GraphQL.Events;
using TiBillet.GraphQL.Tickets;
using TiBillet.GraphQL.Venues;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL;

/// <summary>The API's registration and endpoint mapping: one call each from the silo.</summary>
public static class TiBilletGraphQLExtensions
{
    public const string Path = "/graphql";

    public static IServiceCollection AddTiBilletGraphQL(this IServiceCollection services)
    {
        services.AddOptions<GraphQLApiOptions>().BindConfiguration(nameof(GraphQLApiOptions))
            .Validate(o => o.MaxRequestBytes > 0 && o.MaxDepth > 0 && o.MaxComplexity > 0 && o.SigningKeyRefresh > TimeSpan.Zero
                      && o.WebSocketRecheckInterval > TimeSpan.Zero && o.WebSocketMaxOperations > 0 && o.WebSocketMaxQueuedMessages > 0, "GraphQL limits must be positive.")
            .ValidateOnStart();
        services.AddOptions<MoneyLimitsOptions>().BindConfiguration(nameof(MoneyLimitsOptions))
            .Validate(o => o.MaxTopUp > 0 && o.MaxSale > 0 && o.MaxRefund > 0 && o.MaxTransfer > 0, "MoneyLimitsOptions limits must be positive.")
            .ValidateOnStart();
        services.AddOptions<SecretHashingOptions>().BindConfiguration(nameof(SecretHashingOptions))
            .Validate(o => o.Iterations > 0, "SecretHashingOptions:Iterations must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ApiMetrics>();
        services.TryAddSingleton<IdentityStore>();
        services.TryAddSingleton<VenueAccess>();
        services.TryAddSingleton<TiBillet.Grains.Wallets.WalletScopeStore>();
        services.AddTiBilletAuthentication();

        // Each capability contributes its root fields.
        services.AddSingleton<IQueryFields, InstanceQueries>();
        services.AddSingleton<IQueryFields, IdentityQueries>();
        services.AddSingleton<IMutationFields, IdentityMutations>();
        services.AddSingleton<IQueryFields, VenueQueries>();
        services.AddSingleton<IMutationFields, VenueMutations>();
        services.AddSingleton<IQueryFields, CardQueries>();
        services.AddSingleton<IMutationFields, CardMutations>();
        services.AddSingleton<IQueryFields, WalletQueries>();
        services.AddSingleton<IMutationFields, WalletMutations>();
        services.AddSingleton<IQueryFields, LedgerQueries>();
        services.AddSingleton<IMutationFields, CustomerMutations>();
        services.AddSingleton<IQueryFields, CustomerQueries>();
        services.AddSingleton<IMutationFields, CustomerWalletMutations>();
        services.AddSingleton<IQueryFields, Events.EventQueries>();
        services.AddSingleton<IMutationFields, Events.EventMutations>();
        services.AddSingleton<IQueryFields, Reservations.ReservationQueries>();
        services.AddSingleton<IMutationFields, Reservations.ReservationMutations>();
        services.AddSingleton<Tickets.TicketFields>();
        services.AddSingleton<IQueryFields>(sp => sp.GetRequiredService<Tickets.TicketFields>());
        services.AddSingleton<IMutationFields>(sp => sp.GetRequiredService<Tickets.TicketFields>());
        services.AddSingleton<IQueryFields, MembershipQueries>();
        services.AddSingleton<IMutationFields, MembershipMutations>();
        services.AddSingleton<IMutationFields, OnlinePaymentMutations>();
        services.AddSignInThrottle();
        services.AddPointOfSaleGraphQL();
        services.AddOrdersGraphQL();
        services.AddSingleton<IMutationFields, TiBillet.GraphQL.Till.TillMutations>();
        services.AddSingleton<TiBillet.GraphQL.Till.TillVoidFields>();
        services.AddSingleton<IQueryFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Till.TillVoidFields>());
        services.AddSingleton<IMutationFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Till.TillVoidFields>());
        services.AddSingleton<TiBillet.GraphQL.Catalog.CatalogFields>();
        services.TryAddSingleton<TiBillet.Grains.Closures.TillDayStore>();
        services.TryAddSingleton<TiBillet.GraphQL.Closures.ReportAccess>();
        services.AddSingleton<TiBillet.GraphQL.Closures.ClosureFields>();
        services.AddSingleton<IQueryFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Closures.ClosureFields>());
        services.AddSingleton<IMutationFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Closures.ClosureFields>());
        services.AddSingleton<IQueryFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Catalog.CatalogFields>());
        services.AddSingleton<IMutationFields>(sp => sp.GetRequiredService<TiBillet.GraphQL.Catalog.CatalogFields>());

        services.AddSingleton<GraphQLEndpoint>();
        services.AddSingleton<GraphQLWebSocketHandler>();
        services.AddGraphQL(b => b
            .AddSchema<TiBilletSchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(TiBilletGraphQLExtensions).Assembly)
            .AddValidationRule<AuthorizationValidationRule>()
            // Instead of AddComplexityAnalyzer(): the same limits, with a budget of its own for introspection.
            .AddValidationRule<IntrospectionAwareComplexityRule>()
            .AddValidationRule<SignInFieldCapRule>()
            .ConfigureExecutionOptions(o =>
            {
                var api = o.RequestServices!.GetRequiredService<IOptions<GraphQLApiOptions>>().Value;
                o.Timeout = api.Timeout;
            })
            .AddErrorInfoProvider(sp => new MeteredErrorInfoProvider(sp.GetRequiredService<ApiMetrics>(), new RetryAfterErrorInfoProvider(new global::GraphQL.Execution.ErrorInfoProviderOptions
            {
                // In every environment: a code and a short message, never exception types, messages, stack frames or
                // data (a developer's machine is reachable too; the server log has the details). The codes list would
                // be derived from inner exceptions' type names.
                ExposeExceptionDetails = false,
                ExposeData = false,
                ExposeCodes = false,
            })))
            .AddUnhandledExceptionHandler(ErrorMapping.HandleAsync));
        // One instance, reachable by type for diagnostics and tests.
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution>(sp => sp.GetRequiredService<DocumentCache>());
        // Cached documents skip GraphQL.NET's per-request walks (see CachedDocumentValidator); the builder registered its own validator.
        services.AddSingleton<CachedDocumentValidator>();
        services.Replace(ServiceDescriptor.Singleton<IDocumentValidator>(sp => sp.GetRequiredService<CachedDocumentValidator>()));
        services.AddOptions<global::GraphQL.Validation.Complexity.ComplexityOptions>()
            .Configure<IOptions<GraphQLApiOptions>>((c, api) =>
            {
                c.MaxDepth = api.Value.MaxDepth;
                c.MaxComplexity = api.Value.MaxComplexity;
            });
        return services;
    }

    public static WebApplication MapTiBilletGraphQL(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        // A browser asking for a page (Accept: text/html) gets the GraphiQL IDE; every other request is the API.
        app.Map(Path, (HttpContext http, GraphQLEndpoint endpoint, IOptions<GraphQLApiOptions> options) =>
            options.Value.Ide && GraphiQLPage.IsWanted(http) ? GraphiQLPage.WritePageAsync(http) : endpoint.HandleAsync(http));
        app.MapGet(Path + "/ide/{file}", (string file, HttpContext http, IOptions<GraphQLApiOptions> options) =>
            options.Value.Ide ? GraphiQLPage.WriteAssetAsync(http, file) : Results.NotFound().ExecuteAsync(http));
        app.MapTicketImages();
        app.MapAgendaFeeds();
        app.MapStripeWebhook();
        app.MapGet("/venues/{venueId}/reports/x.csv", (HttpContext http, string venueId) => TiBillet.GraphQL.Closures.ReportCsvEndpoint.HandleAsync(http, venueId, null));
        app.MapGet("/venues/{venueId}/reports/z/{number}.csv", (HttpContext http, string venueId, string number) => TiBillet.GraphQL.Closures.ReportCsvEndpoint.HandleAsync(http, venueId, number));
        return app;
    }
}

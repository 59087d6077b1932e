using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.OnlinePayments;

/// <summary>The real silo with online payment on, pointed at a <see cref="StripeStandIn"/> started first in the test process.</summary>
public sealed class StripeSiloFixture : SiloHostFixture
{
    public StripeStandIn Stripe { get; } = new();

    public override async ValueTask InitializeAsync()
    {
        await Stripe.StartAsync(TestContext.Current.CancellationToken);
        await base.InitializeAsync();
        Stripe.WebhookUrl = new Uri(BaseAddress, "/stripe/webhook");
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("StripeOptions:SecretKey", StripeStandIn.SecretKey),
        new("StripeOptions:WebhookSecret", StripeStandIn.WebhookSecret),
        new("StripeOptions:ApiBase", Stripe.BaseAddress.ToString()),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

/// <summary>Test classes marked <c>[Collection(StripeCollection.Name)]</c> share one silo with online payment on.</summary>
[CollectionDefinition(Name)]
public sealed class StripeCollection : ICollectionFixture<StripeSiloFixture>
{
    public const string Name = "Stripe";
}

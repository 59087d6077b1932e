using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.OnlinePayments;

/// <summary>An online FED refund reads as what it is in the customer's history: ONLINE_REFUND, not a correction.</summary>
[Collection(StripeCollection.Name)]
public sealed class OnlineRefundHistoryApiTests(StripeSiloFixture silo)
{
    [Fact]
    public async Task An_online_fed_refund_shows_as_online_refund_in_the_wallet_history()
    {
        var (_, customer) = silo.NewCustomer();
        var session = (await silo.PostAsync("mutation($i: TopUpOnlineInput!) { topUpOnline(input: $i) { sessionId } }",
            new { i = new { idempotencyKey = NewKey(), amount = 1000 } }, customer)).Data()["topUpOnline"]!["sessionId"]!.GetValue<string>();
        silo.Stripe.Pay(session);
        (await silo.PostAsync("mutation($i: CompleteCheckoutInput!) { completeCheckout(input: $i) { status } }", new { i = new { sessionId = session } }, customer)).Data();

        var refund = (await silo.PostAsync("mutation($i: RefundMyFedOnlineInput!) { refundMyFedOnline(input: $i) { approved } }",
            new { i = new { idempotencyKey = NewKey(), amount = 300 } }, customer)).Data()["refundMyFedOnline"]!;
        var items = (await silo.PostAsync("{ myHistory(first: 10) { items { kind amount } } }", null, customer)).Data()["myHistory"]!["items"]!.AsArray()
            .Select(i => (i!["kind"]!.GetValue<string>(), i["amount"]!.GetValue<long>())).ToList();
        var filtered = (await silo.PostAsync("{ myHistory(first: 10, kind: ONLINE_REFUND) { items { amount } } }", null, customer)).Data()["myHistory"]!["items"]!.AsArray();

        Assert.True(refund["approved"]!.GetValue<bool>());
        Assert.Contains(("ONLINE_REFUND", 300L), items);
        Assert.DoesNotContain(items, i => i.Item1 == "CORRECTION");
        Assert.Equal(300, Assert.Single(filtered)!["amount"]!.GetValue<long>());
    }
}

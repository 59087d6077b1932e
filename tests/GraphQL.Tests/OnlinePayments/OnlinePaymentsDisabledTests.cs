using System.Net;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.OnlinePayments;

/// <summary>With no Stripe key (the default silo), online payment is off and says so; the rest works.</summary>
[Collection(SiloCollection.Name)]
public sealed class OnlinePaymentsDisabledTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task Online_fields_answer_payments_disabled_and_the_webhook_is_not_there()
    {
        var (_, customer) = silo.NewCustomer();

        var topUp = await silo.PostAsync("mutation { topUpOnline(input: {idempotencyKey: \"k\", amount: 100}) { sessionId } }", null, customer);
        var refund = await silo.PostAsync("mutation { refundMyFedOnline(input: {idempotencyKey: \"k\", amount: 100}) { approved } }", null, customer);
        var complete = await silo.PostAsync("mutation { completeCheckout(input: {sessionId: \"cs_test_x\"}) { status } }", null, customer);
        var tickets = await silo.PostAsync("mutation($i: PayReservationOnlineInput!) { payReservationOnline(input: $i) { sessionId } }",
            new { i = new { idempotencyKey = "k", eventId = Guid.NewGuid(), reservationId = Guid.NewGuid() } }, customer);
        using var webhook = await silo.Http.PostAsync(new Uri(silo.BaseAddress, "/stripe/webhook"), new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal("PAYMENTS_DISABLED", topUp.ErrorCode());
        Assert.Equal("PAYMENTS_DISABLED", refund.ErrorCode());
        Assert.Equal("PAYMENTS_DISABLED", complete.ErrorCode());
        Assert.Equal("PAYMENTS_DISABLED", tickets.ErrorCode());
        Assert.Equal(HttpStatusCode.NotFound, webhook.StatusCode);
    }
}

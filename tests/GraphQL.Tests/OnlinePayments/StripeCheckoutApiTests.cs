using System.Net;
using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.OnlinePayments;

/// <summary>
/// Online payment end to end: the real silo and PostgreSQL, Stripe.net talking to the Stripe stand-in, webhooks signed as
/// Stripe signs them. Covers the race between webhook and return, replays, forgeries, delayed payments and refunds.
/// </summary>
[Collection(StripeCollection.Name)]
public sealed class StripeCheckoutApiTests(StripeSiloFixture silo)
{
    private const string Session = "sessionId kind status url amount walletId venueId productId";
    private const string TopUp = "mutation($i: TopUpOnlineInput!) { topUpOnline(input: $i) { " + Session + " } }";
    private const string BuyOnline = "mutation($i: BuyMembershipOnlineInput!) { buyMembershipOnline(input: $i) { " + Session + " } }";
    private const string Complete = "mutation($i: CompleteCheckoutInput!) { completeCheckout(input: $i) { " + Session + " } }";
    private const string Refund = "mutation($i: RefundMyFedOnlineInput!) { refundMyFedOnline(input: $i) { approved reason amount parts { sessionId amount stripeRefundId } } }";
    private const string SetAccount = "mutation($i: SetVenueStripeAccountInput!) { setVenueStripeAccount(input: $i) }";

    private StripeStandIn Stripe => silo.Stripe;

    private async Task<JsonNode> TopUpAsync(string customer, long amount, string? key = null) =>
        (await silo.PostAsync(TopUp, new { i = new { idempotencyKey = key ?? NewKey(), amount } }, customer)).Data()["topUpOnline"]!;

    private async Task<JsonNode> CompleteAsync(string customer, string session) =>
        (await silo.PostAsync(Complete, new { i = new { sessionId = session } }, customer)).Data()["completeCheckout"]!;

    private async Task<long> FedAsync(string customer)
    {
        var wallet = (await silo.PostAsync("{ myWallet { balances { assetId amount } } }", null, customer)).Data()["myWallet"];
        return wallet is null ? 0 : Balances(wallet["balances"]!).GetValueOrDefault(Fed);
    }

    private Task<long> StatusAsync(string session) => silo.ScalarAsync("SELECT status FROM checkout_sessions WHERE session_id = $1", session);

    /// <summary>A top-up paid on Stripe's page and completed by the customer's return.</summary>
    private async Task<string> PaidTopUpAsync(string customer, long amount)
    {
        var id = (await TopUpAsync(customer, amount))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id);
        Assert.Equal("COMPLETED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
        return id;
    }

    [Fact]
    public async Task A_membership_online_is_a_direct_charge_on_the_venue_account_and_the_webhook_completes_it_once()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var account = "acct_" + Guid.NewGuid().ToString("N")[..16];
        Assert.True((await silo.PostAsync(SetAccount, new { i = new { venueId = net.Venue, accountId = account } }, net.Admin)).Data()["setVenueStripeAccount"]!.GetValue<bool>());
        var product = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = net.Venue, name = "Adhésion", duration = "CALENDAR_YEAR", price = 1500 } }, net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        var (_, customer) = silo.NewCustomer();
        var key = NewKey();

        var started = (await silo.PostAsync(BuyOnline, new { i = new { idempotencyKey = key, venueId = net.Venue, productId = product } }, customer)).Data()["buyMembershipOnline"]!;
        var again = (await silo.PostAsync(BuyOnline, new { i = new { idempotencyKey = key, venueId = net.Venue, productId = product } }, customer)).Data()["buyMembershipOnline"]!;
        var id = started["sessionId"]!.GetValue<string>();
        Assert.Equal(id, again["sessionId"]!.GetValue<string>());
        Assert.Equal(account, Stripe.AccountOf(id));
        Assert.Equal(("OPEN", 1500L), (started["status"]!.GetValue<string>(), started["amount"]!.GetValue<long>()));
        Assert.NotNull(started["url"]);

        Stripe.Pay(id);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var returned = await CompleteAsync(customer, id);
        var mine = (await silo.PostAsync("query($v: ID!) { myMembership(venueId: $v) { state validUntil } }", new { v = net.Venue }, customer)).Data()["myMembership"]!;

        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal("COMPLETED", returned["status"]!.GetValue<string>());
        Assert.Equal("VALID", mine["state"]!.GetValue<string>());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM membership_purchases WHERE checkout_session = $1 AND channel = 3", id));
    }

    [Fact]
    public async Task The_return_before_the_webhook_completes_a_fed_top_up_and_the_late_webhook_changes_nothing()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 2500))["sessionId"]!.GetValue<string>();
        Assert.Null(Stripe.AccountOf(id));
        Stripe.Pay(id);

        var returned = await CompleteAsync(customer, id);
        var ledger = await silo.LedgerRowsAsync();
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var returnedAgain = await CompleteAsync(customer, id);

        Assert.Equal("COMPLETED", returned["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal("COMPLETED", returnedAgain["status"]!.GetValue<string>());
        Assert.Equal(2500, await FedAsync(customer));
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", "stripe-checkout:" + id));
    }

    [Fact]
    public async Task The_webhook_before_the_return_completes_and_the_return_finds_it_done()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 700))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id);

        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        var fedAfterHook = await FedAsync(customer);
        var returned = await CompleteAsync(customer, id);

        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal(700, fedAfterHook);
        Assert.Equal("COMPLETED", returned["status"]!.GetValue<string>());
        Assert.Equal(700, await FedAsync(customer));
    }

    [Fact]
    public async Task The_browser_return_url_completes_a_paid_session_without_a_sign_in()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 450))["sessionId"]!.GetValue<string>();
        var returnUrl = new Uri(silo.BaseAddress, "/stripe/return?session_id=" + id);

        var unpaid = await silo.Http.GetStringAsync(returnUrl, TestContext.Current.CancellationToken);
        Stripe.Pay(id);
        var paid = await silo.Http.GetStringAsync(returnUrl, TestContext.Current.CancellationToken);
        using var hook = await Stripe.SendEventAsync("checkout.session.completed", id);
        using var unknown = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/stripe/return?session_id=cs_test_unknown"), TestContext.Current.CancellationToken);

        Assert.Contains("\"Open\"", unpaid, StringComparison.Ordinal);
        Assert.Contains("\"Completed\"", paid, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(450, await FedAsync(customer));
    }

    [Fact]
    public async Task A_forged_or_stale_signature_is_refused_and_changes_nothing()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 900))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id);
        var json = Stripe.EventJson("checkout.session.completed", id);

        using var forged = await Stripe.PostEventAsync(json, secret: "whsec_someone_else");
        using var stale = await Stripe.PostEventAsync(json, timestamp: DateTimeOffset.UtcNow.AddMinutes(-30));
        using var altered = await Stripe.PostEventAsync(json.Replace("\"amount_total\":900", "\"amount_total\":90000", StringComparison.Ordinal), secret: "whsec_someone_else");
        using var unsigned = await silo.Http.PostAsync(Stripe.WebhookUrl, new StringContent(json), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.Equal(0, await StatusAsync(id));
        Assert.Equal(0, await FedAsync(customer));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM stripe_events WHERE session_id = $1", id));
    }

    [Fact]
    public async Task A_replayed_event_is_answered_without_being_processed_again()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 1200))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id);
        var json = Stripe.EventJson("checkout.session.completed", id);

        using var first = await Stripe.PostEventAsync(json);
        var ledger = await silo.LedgerRowsAsync();
        using var replay = await Stripe.PostEventAsync(json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("replayed", await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(1200, await FedAsync(customer));
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM stripe_events WHERE session_id = $1", id));
    }

    [Fact]
    public async Task A_delayed_payment_credits_nothing_until_it_succeeds()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 3000))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id, delayed: true);

        using var completed = await Stripe.SendEventAsync("checkout.session.completed", id);
        var waiting = await CompleteAsync(customer, id);
        var fedWhileWaiting = await FedAsync(customer);
        Stripe.Settle(id, succeeded: true);
        using var succeeded = await Stripe.SendEventAsync("checkout.session.async_payment_succeeded", id);

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("AWAITING_PAYMENT", waiting["status"]!.GetValue<string>());
        Assert.Equal(0, fedWhileWaiting);
        Assert.Equal(HttpStatusCode.OK, succeeded.StatusCode);
        Assert.Equal("COMPLETED", (await CompleteAsync(customer, id))["status"]!.GetValue<string>());
        Assert.Equal(3000, await FedAsync(customer));
    }

    [Fact]
    public async Task A_delayed_payment_that_fails_credits_nothing_and_stays_failed()
    {
        var (_, customer) = silo.NewCustomer();
        var id = (await TopUpAsync(customer, 4000))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id, delayed: true);
        using var completed = await Stripe.SendEventAsync("checkout.session.completed", id);
        Stripe.Settle(id, succeeded: false);

        using var failed = await Stripe.SendEventAsync("checkout.session.async_payment_failed", id);
        var afterReturn = await CompleteAsync(customer, id);

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("FAILED", afterReturn["status"]!.GetValue<string>());
        Assert.Equal(0, await FedAsync(customer));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", "stripe-checkout:" + id));
    }

    [Fact]
    public async Task A_refund_goes_to_the_newest_payments_first_and_a_retry_with_its_key_refunds_once()
    {
        var (_, customer) = silo.NewCustomer();
        var older = await PaidTopUpAsync(customer, 1000);
        var newer = await PaidTopUpAsync(customer, 500);
        var key = NewKey();
        var refundsBefore = Stripe.RefundsCreated;

        var first = (await silo.PostAsync(Refund, new { i = new { idempotencyKey = key, amount = 800 } }, customer)).Data()["refundMyFedOnline"]!;
        var retry = (await silo.PostAsync(Refund, new { i = new { idempotencyKey = key, amount = 800 } }, customer)).Data()["refundMyFedOnline"]!;
        var otherAmount = await silo.PostAsync(Refund, new { i = new { idempotencyKey = key, amount = 100 } }, customer);

        Assert.True(first["approved"]!.GetValue<bool>());
        var parts = first["parts"]!.AsArray().Select(p => (p!["sessionId"]!.GetValue<string>(), p["amount"]!.GetValue<long>())).ToArray();
        Assert.Equal([(newer, 500L), (older, 300L)], parts);
        Assert.Equal(first["parts"]!.ToJsonString(), retry["parts"]!.ToJsonString());
        Assert.Equal("CONFLICT", otherAmount.ErrorCode());
        Assert.Equal(refundsBefore + 2, Stripe.RefundsCreated);
        Assert.Equal(700, await FedAsync(customer));

        // What is left: 700 on the older payment; more than that is refused, and nothing moves.
        var tooMuch = await silo.PostAsync(Refund, new { i = new { idempotencyKey = NewKey(), amount = 701 } }, customer);
        Assert.Equal("NO_STRIPE_PAYMENT", tooMuch.ErrorCode());
        Assert.Equal(700, await FedAsync(customer));
    }

    [Fact]
    public async Task The_stand_in_honours_the_idempotency_key_of_a_refund_sent_twice_by_stripe_net()
    {
        var (_, customer) = silo.NewCustomer();
        var session = await PaidTopUpAsync(customer, 600);
        var intent = await silo.ScalarTextAsync("SELECT payment_intent FROM checkout_sessions WHERE session_id = $1", session);
        var client = new global::Stripe.StripeClient(new global::Stripe.StripeClientOptions { ApiKey = StripeStandIn.SecretKey, ApiBase = Stripe.BaseAddress.ToString().TrimEnd('/') });
        var service = new global::Stripe.RefundService(client);
        var options = new global::Stripe.RefundCreateOptions { PaymentIntent = intent, Amount = 100 };
        var request = new global::Stripe.RequestOptions { IdempotencyKey = NewKey() };
        var before = Stripe.RefundsCreated;

        var first = await service.CreateAsync(options, request, TestContext.Current.CancellationToken);
        var second = await service.CreateAsync(options, request, TestContext.Current.CancellationToken);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(before + 1, Stripe.RefundsCreated);
    }

    [Fact]
    public async Task A_refund_of_fed_that_did_not_come_from_stripe_is_refused()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (email, customer) = silo.NewCustomer();
        var card = await NewCardAsync(silo.Client, net.Admin);
        var wallet = (await silo.LinkMyCardAsync(card, customer)).Data()["linkMyCard"]!["userWalletId"]!.GetValue<string>();
        await net.IssueAsync(wallet, Fed, 1000);
        var ledger = await silo.LedgerRowsAsync();

        var refused = await silo.PostAsync(Refund, new { i = new { idempotencyKey = NewKey(), amount = 500 } }, customer);

        Assert.Equal("NO_STRIPE_PAYMENT", refused.ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(1000, await FedAsync(customer));
        Assert.NotNull(email);
    }

    [Fact]
    public async Task Refusals_wrong_role_wrong_venue_unconnected_venue_and_another_customers_session()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var otherAdmin = await silo.StaffAsync(other.Venue, "ADMIN");
        var (_, customer) = silo.NewCustomer();
        var (_, stranger) = silo.NewCustomer();
        var product = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = net.Venue, name = "Adhésion", duration = "MONTH", price = 800 } }, net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        Task<GraphQLResponse> SetAsync(string venue, string accountId, string auth) => silo.PostAsync(SetAccount, new { i = new { venueId = venue, accountId } }, auth);
        Task<GraphQLResponse> BuyAsync(string venue, string auth) => silo.PostAsync(BuyOnline, new { i = new { idempotencyKey = NewKey(), venueId = venue, productId = product } }, auth);

        Assert.Equal("FORBIDDEN", (await SetAsync(net.Venue, "acct_123", cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await SetAsync(net.Venue, "acct_123", otherAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await SetAsync(net.Venue, "acct_123", customer)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SetAsync(net.Venue, "not-an-account", net.Admin)).ErrorCode());
        Assert.Equal("VENUE_NOT_CONNECTED", (await BuyAsync(net.Venue, customer)).ErrorCode());
        (await SetAsync(net.Venue, "acct_" + Guid.NewGuid().ToString("N")[..12], net.Admin)).Data();
        Assert.Equal("NOT_FOUND", (await BuyAsync(other.Venue, customer)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await BuyAsync(net.Venue, cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(TopUp, new { i = new { idempotencyKey = NewKey(), amount = 100 } }, net.Admin)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await silo.PostAsync(TopUp, new { i = new { idempotencyKey = NewKey(), amount = 0 } }, customer)).ErrorCode());

        var id = (await TopUpAsync(customer, 300))["sessionId"]!.GetValue<string>();
        Stripe.Pay(id);
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(Complete, new { i = new { sessionId = id } }, stranger)).ErrorCode());
        Assert.Equal(0, await StatusAsync(id));
        var key = NewKey();
        (await silo.PostAsync(TopUp, new { i = new { idempotencyKey = key, amount = 100 } }, customer)).Data();
        Assert.Equal("CONFLICT", (await silo.PostAsync(TopUp, new { i = new { idempotencyKey = key, amount = 200 } }, customer)).ErrorCode());
    }
}

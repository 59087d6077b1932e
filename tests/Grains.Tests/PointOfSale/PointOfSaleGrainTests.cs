using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.PointOfSale;

[Collection(ClusterCollection.Name)]
public sealed class PointOfSaleGrainTests(ClusterFixture fixture)
{
    private const string Reader = "Virtual PCD 00 00";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewTapId() => Guid.NewGuid().ToString();

    private async Task<(TestNetwork Network, IPointOfSaleGrain Till, PointOfSaleId Id)> OpenTillAsync()
    {
        var network = await TestNetwork.CreateAsync(fixture);
        var id = new PointOfSaleId(network.Venue, "bar");
        var till = fixture.Grains.GetPointOfSale(id);
        await till.CreateAsync(new CreatePointOfSaleRequest("Bar"), Ct);
        var opened = await till.TapAsync(new TapRequest(NewTapId(), Reader, network.Cashier.Value), Ct);
        Assert.Equal(TapOutcome.TillOpened, opened.Outcome);
        return (network, till, id);
    }

    private static Task<PointOfSaleDetails> RequestAsync(IPointOfSaleGrain till, long amount) =>
        till.RequestPaymentAsync(new RequestPaymentRequest([new SaleLine("Bière", 1, amount)]), Ct);

    [Fact]
    public async Task Creation_needs_an_existing_venue_and_is_idempotent_for_the_same_name()
    {
        var network = await TestNetwork.CreateAsync(fixture);
        var till = fixture.Grains.GetPointOfSale(new PointOfSaleId(network.Venue, "bar"));

        var created = await till.CreateAsync(new CreatePointOfSaleRequest("Bar"), Ct);
        var again = await till.CreateAsync(new CreatePointOfSaleRequest("Bar"), Ct);

        Assert.Equal(created, again);
        Assert.False(created.TillOpen);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => till.CreateAsync(new CreatePointOfSaleRequest("Kitchen"), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound,
            () => fixture.Grains.GetPointOfSale(new PointOfSaleId(TestNetwork.NewVenueId(), "bar")).CreateAsync(new CreatePointOfSaleRequest("Bar"), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound,
            () => fixture.Grains.GetPointOfSale(new PointOfSaleId(network.Venue, "never-created")).GetDetailsAsync(Ct));
    }

    [Fact]
    public async Task A_customer_tap_is_refused_until_a_cashier_card_opens_the_till_and_the_same_card_closes_it()
    {
        var network = await TestNetwork.CreateAsync(fixture);
        var till = fixture.Grains.GetPointOfSale(new PointOfSaleId(network.Venue, "bar"));
        await till.CreateAsync(new CreatePointOfSaleRequest("Bar"), Ct);
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        await RequestAsync(till, 300);

        var refused = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);
        var opened = await till.TapAsync(new TapRequest(NewTapId(), Reader, network.Cashier.Value), Ct);
        var paid = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);
        var closed = await till.TapAsync(new TapRequest(NewTapId(), Reader, network.Cashier.Value), Ct);

        Assert.Equal(TapOutcome.Refused, refused.Outcome);
        Assert.Equal(TapOutcome.TillOpened, opened.Outcome);
        Assert.Equal(TapOutcome.Approved, paid.Outcome);
        Assert.Equal(TapOutcome.TillClosed, closed.Outcome);
        Assert.False((await till.GetDetailsAsync(Ct)).TillOpen);
        Assert.Equal(700, (await network.BalancesAsync(customer))[network.Tlf.Id]);
    }

    [Fact]
    public async Task An_approved_payment_clears_the_request_and_its_retry_returns_the_first_result_without_charging_again()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        await till.RequestPaymentAsync(new RequestPaymentRequest([new SaleLine("Bière", 2, 250), new SaleLine("Chips", 1, 150)]), Ct);
        var tap = new TapRequest(NewTapId(), Reader, customer.Value);

        var first = await till.TapAsync(tap, Ct);
        var retry = await till.TapAsync(tap, Ct);

        Assert.Equal(TapOutcome.Approved, first.Outcome);
        Assert.Equal(650, first.Amount);
        Assert.Equal(350, Assert.Single(first.Balances).Amount);
        Assert.Equal("Euro local", first.Balances[0].Name);
        Assert.Equal(first.TapId, retry.TapId);
        Assert.Equal(first.OperationId, retry.OperationId);
        Assert.Equal(first.At, retry.At);
        Assert.Null((await till.GetDetailsAsync(Ct)).Pending);
        Assert.Equal(350, (await network.BalancesAsync(customer))[network.Tlf.Id]);
    }

    [Fact]
    public async Task A_tap_whose_payment_was_committed_but_not_recorded_gets_the_ledger_result_back()
    {
        var (network, till, id) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        var pending = (await RequestAsync(till, 400)).Pending!;
        // As if the point of sale had crashed between the ledger commit and storing its own state.
        var committed = await network.PayAsync(customer,
            new SaleRequest(PointOfSaleGrain.RequestKey(id, pending.Id), network.Venue, network.Cashier, [new SaleLine("Bière", 1, 400)]), Ct);

        var result = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Approved, result.Outcome);
        Assert.Equal(committed.OperationId, result.OperationId);
        Assert.Equal(600, (await network.BalancesAsync(customer))[network.Tlf.Id]);
        Assert.Equal(1, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, PointOfSaleGrain.RequestKey(id, pending.Id)));
    }

    [Fact]
    public async Task A_crash_between_the_ledger_commit_and_the_till_state_then_a_new_tap_charges_the_basket_once()
    {
        var (network, till, id) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        await RequestAsync(till, 400);
        var db = fixture.Database.DataSource;
        // The till's next state write fails after its payment committed: the till restarts from its stored state, in
        // which the basket is still pending.
        var trigger = "fail_pos_" + Guid.NewGuid().ToString("N");
        await LedgerSql.ScalarAsync(db, $"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage down'; END $$;
            CREATE TRIGGER {trigger} BEFORE UPDATE ON orleans_storage FOR EACH ROW
                WHEN (OLD.grain_ext = '{id.Key}') EXECUTE FUNCTION {trigger}();
            SELECT 0
            """);
        try
        {
            await DomainAssert.ThrowsAsync(ErrorCodes.Unavailable, () => till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct));
        }
        finally
        {
            await LedgerSql.ScalarAsync(db, $"DROP TRIGGER {trigger} ON orleans_storage; DROP FUNCTION {trigger}(); SELECT 0");
        }

        Assert.NotNull((await till.GetDetailsAsync(Ct)).Pending);
        var again = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Approved, again.Outcome);
        Assert.Null((await till.GetDetailsAsync(Ct)).Pending);
        Assert.Equal(600, (await network.BalancesAsync(customer))[network.Tlf.Id]);
        Assert.Equal(1, await LedgerSql.ScalarAsync(db, "SELECT count(*) FROM ledger_transactions WHERE card_uid = $1 AND kind = $2", customer.Value, (short)TransactionKind.Sale));
    }

    [Fact]
    public async Task A_declined_payment_moves_nothing_and_keeps_the_request_for_the_next_tap()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 200);
        var request = (await RequestAsync(till, 500)).Pending!;

        var declined = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Declined, declined.Outcome);
        Assert.Equal(DeclineReason.InsufficientFunds, declined.DeclineReason);
        Assert.Equal(300, declined.Shortfall);
        Assert.Equal(500, declined.Amount);
        Assert.Equal(request.Id, declined.RequestId);
        Assert.Equal(request.Id, (await till.GetDetailsAsync(Ct)).Pending?.Id);
        Assert.Equal(200, (await network.BalancesAsync(customer))[network.Tlf.Id]);

        await network.RefillAsync(customer, 300);
        var approved = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Approved, approved.Outcome);
        Assert.Equal(request.Id, approved.RequestId);
    }

    [Fact]
    public async Task A_top_up_credits_the_card_with_the_cashier_card_of_the_open_till()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await till.RequestTopUpAsync(new RequestTopUpRequest(2_000, PaymentMeans.BankCard), Ct);

        var result = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.ToppedUp, result.Outcome);
        Assert.Equal(2_000, result.Amount);
        Assert.Equal(2_000, Assert.Single(result.Balances).Amount);
        Assert.Null((await till.GetDetailsAsync(Ct)).Pending);
        Assert.Equal(2_000, (await network.BalancesAsync(customer))[network.Tlf.Id]);
    }

    [Fact]
    public async Task With_nothing_pending_a_tap_shows_balances_state_and_last_transactions()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        await network.PayAsync(customer, 250);

        var result = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Balance, result.Outcome);
        Assert.Equal(CardState.Anonymous, result.CardState);
        Assert.Equal(750, Assert.Single(result.Balances).Amount);
        Assert.Equal(new[] { (TransactionKind.Sale, -250L), (TransactionKind.Refill, 1_000L) }, result.Transactions.Select(t => (t.Kind, t.Amount)).ToArray());
    }

    [Fact]
    public async Task A_blank_card_shows_an_empty_balance()
    {
        var (network, till, _) = await OpenTillAsync();
        var blank = await network.NewCardAsync();

        var result = await till.TapAsync(new TapRequest(NewTapId(), Reader, blank.Value), Ct);

        Assert.Equal(TapOutcome.Balance, result.Outcome);
        Assert.Equal(CardState.Blank, result.CardState);
        Assert.Empty(result.Balances);
        Assert.Empty(result.Transactions);
    }

    [Fact]
    public async Task Another_cashier_card_takes_the_open_till_over()
    {
        var (network, till, _) = await OpenTillAsync();
        var second = await network.NewCardAsync();
        await network.Card(second).GrantCashierAsync(network.Venue, Ct);

        var takeOver = await till.TapAsync(new TapRequest(NewTapId(), Reader, second.Value), Ct);

        Assert.Equal(TapOutcome.TillOpened, takeOver.Outcome);
        Assert.Equal(second, (await till.GetDetailsAsync(Ct)).Cashier);
    }

    [Fact]
    public async Task Unknown_and_malformed_cards_are_results_not_errors()
    {
        var (_, till, _) = await OpenTillAsync();

        var unknown = await till.TapAsync(new TapRequest(NewTapId(), Reader, TestNetwork.NewUid().Value), Ct);
        var malformed = await till.TapAsync(new TapRequest(NewTapId(), Reader, "0102030405"), Ct);

        Assert.Equal(TapOutcome.UnknownCard, unknown.Outcome);
        Assert.Equal(TapOutcome.UnknownCard, malformed.Outcome);
        Assert.Null(malformed.Card);
    }

    [Fact]
    public async Task A_lost_card_is_declined_for_a_payment_and_refused_for_a_balance()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        var owner = EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org");
        await network.Card(customer).LinkToOwnerAsync(new OwnerLinkRequest(TestNetwork.NewKey(), owner, (await network.Card(customer).GetDetailsAsync(Ct)).QrId), Ct);
        await network.Card(customer).DeclareLostAsync(owner, Ct);

        var balance = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);
        await RequestAsync(till, 100);
        var payment = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Refused, balance.Outcome);
        Assert.Equal(CardState.Lost, balance.CardState);
        Assert.Equal(TapOutcome.Declined, payment.Outcome);
        Assert.Equal(DeclineReason.CardLost, payment.DeclineReason);
    }

    [Fact]
    public async Task Requests_are_checked_when_they_are_made()
    {
        var (_, till, _) = await OpenTillAsync();

        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.RequestPaymentAsync(new RequestPaymentRequest([]), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.RequestPaymentAsync(new RequestPaymentRequest([new SaleLine("Bière", 0, 250)]), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.RequestPaymentAsync(new RequestPaymentRequest([new SaleLine("Eau", 1, 0)]), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.RequestTopUpAsync(new RequestTopUpRequest(0, PaymentMeans.Cash), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.RequestTopUpAsync(new RequestTopUpRequest(100, PaymentMeans.Online), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => till.TapAsync(new TapRequest("", Reader, "04A2B3C4"), Ct));
        Assert.Null((await till.GetDetailsAsync(Ct)).Pending);
    }

    [Fact]
    public async Task Cancelling_drops_the_pending_request_and_is_idempotent()
    {
        var (_, till, _) = await OpenTillAsync();
        await RequestAsync(till, 300);

        var cancelled = await till.CancelPendingRequestAsync(Ct);
        var again = await till.CancelPendingRequestAsync(Ct);

        Assert.Null(cancelled.Pending);
        Assert.Equal(cancelled, again);
    }

    [Fact]
    public async Task Only_the_last_taps_are_remembered()
    {
        var (network, till, _) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        var first = await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);
        for (var i = 0; i < PointOfSaleState.MaxRecentTaps; i++)
        {
            await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);
        }

        var replayedOrNew = await till.TapAsync(new TapRequest(first.TapId, Reader, customer.Value), Ct);

        Assert.Equal(TapOutcome.Balance, replayedOrNew.Outcome);
        Assert.NotEqual(first.At, replayedOrNew.At); // Forgotten: decided again.
    }

    [Fact]
    public async Task Subscribers_are_told_of_requests_and_taps_in_order()
    {
        var (network, till, id) = await OpenTillAsync();
        var customer = await network.NewCardAsync();
        await network.RefillAsync(customer, 1_000);
        var observer = new RecordingObserver();
        var reference = fixture.Grains.CreateObjectReference<IPointOfSaleObserver>(observer);
        try
        {
            var now = await till.SubscribeAsync(reference);
            await RequestAsync(till, 300);
            await till.TapAsync(new TapRequest(NewTapId(), Reader, customer.Value), Ct);

            Assert.Equal(id, now.Id);
            var requested = Assert.IsType<PaymentRequested>(await observer.NextAsync());
            var handled = Assert.IsType<TapHandled>(await observer.NextAsync());
            Assert.Equal(300, requested.Request.Amount);
            Assert.Equal(TapOutcome.Approved, handled.Result.Outcome);
            Assert.Null(handled.PointOfSale.Pending);
        }
        finally
        {
            await till.UnsubscribeAsync(reference);
            fixture.Grains.DeleteObjectReference<IPointOfSaleObserver>(reference);
        }
    }

    private sealed class RecordingObserver : IPointOfSaleObserver
    {
        private readonly System.Threading.Channels.Channel<PointOfSaleEvent> _events = System.Threading.Channels.Channel.CreateUnbounded<PointOfSaleEvent>();

        public Task OnEventAsync(PointOfSaleEvent pointOfSaleEvent)
        {
            _events.Writer.TryWrite(pointOfSaleEvent);
            return Task.CompletedTask;
        }

        public async Task<PointOfSaleEvent> NextAsync() => await _events.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }
}

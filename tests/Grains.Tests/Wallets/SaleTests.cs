using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Wallets;

[Collection(ClusterCollection.Name)]
public sealed class SaleTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sale_spends_gift_then_venue_euro_then_FED_and_credits_the_venue()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 300, net.Tnf.Id);
        await net.RefillAsync(card, 500);
        await net.IssueFedAsync(card, 1_000);

        var result = await net.PayAsync(card, 1_200);

        Assert.True(result.Approved);
        Assert.Equal(DeclineReason.None, result.Reason);
        Assert.Equal(1_200, result.PaidByCard);
        Assert.Equal([(net.Tnf.Id, 300L), (net.Tlf.Id, 500L), (AssetId.Federated, 400L)], result.Movements.Select(m => (m.Asset, m.Amount)));
        Assert.All(result.Movements, m => Assert.Equal(net.VenueWallet, m.To));
        var balances = await net.BalancesAsync(card);
        Assert.Equal(600, balances[AssetId.Federated]);
        Assert.False(balances.ContainsKey(net.Tlf.Id));
        var db = fixture.Database.DataSource;
        Assert.Equal(300, await LedgerSql.BalanceAsync(db, net.VenueWallet, net.Tnf.Id));
        Assert.Equal(500, await LedgerSql.BalanceAsync(db, net.VenueWallet, net.Tlf.Id));
        Assert.Equal(400, await LedgerSql.BalanceAsync(db, net.VenueWallet, AssetId.Federated));
    }

    [Fact]
    public async Task Sale_declines_when_funds_are_short_and_leaves_no_trace()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 500);
        var key = TestNetwork.NewKey();

        var result = await net.PayAsync(card, 800, key);

        Assert.False(result.Approved);
        Assert.Equal(DeclineReason.InsufficientFunds, result.Reason);
        Assert.Equal(300, result.Shortfall);
        Assert.Null(result.OperationId);
        Assert.Equal(0, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, key));
        Assert.Equal(500, (await net.BalancesAsync(card))[net.Tlf.Id]);
    }

    [Fact]
    public async Task Sale_reloads_before_declining_so_credits_made_elsewhere_count()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (payer, giver) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(payer, 100);
        await net.RefillAsync(giver, 900);
        _ = await net.BalancesAsync(payer); // activate the payer's wallet with 100 in memory
        var transfer = await fixture.Grains.GetWallet(await net.WalletOfAsync(giver))
            .TransferAsync(new TransferRequest(TestNetwork.NewKey(), await net.WalletOfAsync(payer), net.Tlf.Id, 900), Ct);
        Assert.True(transfer.Approved);

        var result = await net.PayAsync(payer, 1_000);

        Assert.True(result.Approved);
        Assert.Empty(result.Balances);
    }

    [Fact]
    public async Task Remainder_is_paid_in_cash_when_asked()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 700);

        var result = await net.PayAsync(card, 1_000, complement: PaymentMeans.Cash);

        Assert.True(result.Approved);
        Assert.Equal(700, result.PaidByCard);
        Assert.Equal(300, result.PaidExternally);
        Assert.Equal(PaymentMeans.Cash, result.ExternalMeans);
        Assert.Equal(300, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT external_amount FROM ledger_operations WHERE operation_id = $1", result.OperationId!.Value));
    }

    [Fact]
    public async Task Remainder_is_paid_by_a_second_card_of_another_wallet_atomically()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (first, second) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(first, 400);
        await net.RefillAsync(second, 1_000);

        var result = await net.PayAsync(first, 1_000, complement: PaymentMeans.SecondCard, complementCard: second);

        Assert.True(result.Approved);
        Assert.Equal(400, result.PaidByCard);
        Assert.Equal(600, result.PaidByComplementCard);
        Assert.Empty(await net.BalancesAsync(first));
        Assert.Equal(400, (await net.BalancesAsync(second))[net.Tlf.Id]);
        Assert.Equal(1, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE operation_id = $1", result.OperationId!.Value));

        // Both directions, both ways round the wallet order, and then a decline that moves nothing from either card.
        var back = await net.PayAsync(second, 300, complement: PaymentMeans.SecondCard, complementCard: first);
        Assert.True(back.Approved);
        var declined = await net.PayAsync(first, 5_000, complement: PaymentMeans.SecondCard, complementCard: second);
        Assert.False(declined.Approved);
        Assert.Equal(4_900, declined.Shortfall);
        Assert.Equal(100, (await net.BalancesAsync(second))[net.Tlf.Id]);
        await LedgerSql.AssertInvariantsAsync(fixture.Database.DataSource);
    }

    [Fact]
    public async Task Second_card_must_be_another_wallet()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 100);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, 200, complement: PaymentMeans.SecondCard, complementCard: card));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, 200, complement: PaymentMeans.SecondCard));
        await DomainAssert.ThrowsAsync(ErrorCodes.UnknownCard, () => net.PayAsync(card, 200, complement: PaymentMeans.SecondCard, complementCard: TestNetwork.NewUid()));
    }

    [Fact]
    public async Task Sale_requires_a_cashier_card_and_a_sound_basket()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var sale = net.Sale(100);
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.PayAsync(card, sale with { Cashier = card }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, sale with { Lines = [] }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, sale with { Lines = [new SaleLine("x", 0, 100)] }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, sale with { Lines = [new SaleLine("x", 1, -1)] }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, sale with { Lines = [new SaleLine("x", 1, 0)] }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.PayAsync(card, sale with { Lines = [new SaleLine("x", 100_000, long.MaxValue / 2)] }, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => net.PayAsync(card, sale with { Venue = TestNetwork.NewVenueId() }, Ct));
        Assert.Equal(1_000, (await net.BalancesAsync(card))[net.Tlf.Id]);
    }

    [Fact]
    public async Task A_basket_is_one_atomic_operation()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var sale = net.Sale(1) with { Lines = [new SaleLine("Bière", 3, 250), new SaleLine("Chips", 2, 100)] };

        var result = await net.PayAsync(card, sale, Ct);

        Assert.True(result.Approved);
        Assert.Equal(950, result.Total);
        var declined = await net.PayAsync(card, sale with { Key = TestNetwork.NewKey() }, Ct);
        Assert.False(declined.Approved);
        Assert.Equal(50, (await net.BalancesAsync(card))[net.Tlf.Id]);
    }

    [Fact]
    public async Task Same_key_returns_the_first_result_even_after_the_wallet_is_deactivated()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var key = TestNetwork.NewKey();

        var first = await net.PayAsync(card, 300, key);
        var again = await net.PayAsync(card, 300, key);
        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetWallet(await net.WalletOfAsync(card)));
        var afterRestart = await net.PayAsync(card, 300, key);

        Assert.Equal(first.OperationId, again.OperationId);
        Assert.Equal(first.OperationId, afterRestart.OperationId);
        Assert.Equal(first.At, afterRestart.At);
        Assert.Equal(700, (await net.BalancesAsync(card))[net.Tlf.Id]);
        Assert.Equal(1, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, key));
        Assert.Equal(1, await LedgerSql.TransactionsOfKeyAsync(fixture.Database.DataSource, key));
    }

    [Fact]
    public async Task Same_key_and_body_get_the_first_answer_after_the_card_was_linked_or_lost_since()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var key = TestNetwork.NewKey();
        var first = await net.PayAsync(card, 300, key);

        var owner = new EmailAddress($"{Guid.NewGuid():N}@example.org");
        await net.Card(card).LinkToOwnerAsync(new OwnerLinkRequest(TestNetwork.NewKey(), owner, (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);
        var afterLink = await net.PayAsync(card, 300, key);
        await net.Card(card).DeclareLostAsync(owner, Ct);
        var afterLoss = await net.PayAsync(card, 300, key);

        Assert.True(first.Approved);
        Assert.Equal(first.OperationId, afterLink.OperationId);
        Assert.Equal(first.At, afterLink.At);
        Assert.True(afterLoss.Approved);
        Assert.Equal(first.OperationId, afterLoss.OperationId);
        Assert.Equal(1, await LedgerSql.TransactionsOfKeyAsync(fixture.Database.DataSource, key));
    }

    [Fact]
    public async Task Same_key_with_a_different_request_is_a_CONFLICT()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var key = TestNetwork.NewKey();
        await net.PayAsync(card, 300, key);

        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.PayAsync(card, 301, key));
        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetWallet(await net.WalletOfAsync(card)));
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.PayAsync(card, 301, key));
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.RefillAsync(card, 300, key: key));
        var otherCard = await net.NewCardAsync();
        await net.RefillAsync(otherCard, 1_000);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.PayAsync(otherCard, 300, key));
        Assert.Equal(700, (await net.BalancesAsync(card))[net.Tlf.Id]);
        Assert.Equal(1_000, (await net.BalancesAsync(otherCard))[net.Tlf.Id]);
    }

    [Fact]
    public async Task A_first_result_survives_a_rule_that_changed_since()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var key = TestNetwork.NewKey();
        var first = await net.PayAsync(card, 300, key);
        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetWallet(await net.WalletOfAsync(card)));
        await net.Card(net.Cashier).RevokeCashierAsync(net.Venue, Ct);

        var again = await net.PayAsync(card, 300, key);

        Assert.Equal(first.OperationId, again.OperationId);
    }

    [Fact]
    public async Task Archived_assets_are_not_spent()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 500, net.Tnf.Id);
        await net.RefillAsync(card, 500);
        await fixture.Grains.GetVenue(net.Venue).ArchiveAssetAsync(net.Tnf.Id, Ct);

        var result = await net.PayAsync(card, 600);

        Assert.False(result.Approved);
        Assert.Equal(100, result.Shortfall);
    }
}

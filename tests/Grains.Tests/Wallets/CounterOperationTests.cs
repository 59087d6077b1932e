using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Refund, void and badge at a counter.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CounterOperationTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Void_burns_local_money_gives_back_TLF_and_FED_in_cash_and_leaves_FED_owed_to_the_venue()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var other = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 700);
        await net.RefillAsync(card, 200, net.Tnf.Id);
        await net.IssueFedAsync(card, 500);
        await other.RefillAsync(card, 300);

        var result = await net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, Presence: CardPresence.Tap), Ct);

        Assert.True(result.Approved);
        Assert.Equal(1_200, result.CashReturned);
        Assert.Equal(900, result.Burned);
        Assert.Equal(500, result.OwedToVenue);
        var balances = await net.BalancesAsync(card);
        Assert.Equal(300, Assert.Single(balances).Value);
        Assert.Equal(other.Tlf.Id, balances.Single().Key);
        var db = fixture.Database.DataSource;
        Assert.Equal(0, await LedgerSql.BalanceAsync(db, net.Tlf.MintWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.BalanceAsync(db, net.Tnf.MintWallet, net.Tnf.Id));
        Assert.Equal(500, await LedgerSql.BalanceAsync(db, net.VenueWallet, AssetId.Federated));

        var nothing = await net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, Presence: CardPresence.Tap), Ct);
        Assert.False(nothing.Approved);
        Assert.Equal(DeclineReason.NothingToRefund, nothing.Reason);
        await LedgerSql.AssertInvariantsAsync(db);
    }

    [Fact]
    public async Task Refund_of_an_amount_takes_venue_euro_then_FED_never_gift_money()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 300);
        await net.RefillAsync(card, 1_000, net.Tnf.Id);
        await net.IssueFedAsync(card, 500);

        var declined = await net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 900, Presence: CardPresence.Tap), Ct);
        Assert.False(declined.Approved);
        Assert.Equal(DeclineReason.InsufficientFunds, declined.Reason);

        var result = await net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 400, Presence: CardPresence.Tap), Ct);
        Assert.True(result.Approved);
        Assert.Equal(400, result.CashReturned);
        Assert.Equal(300, result.Burned);
        Assert.Equal(100, result.OwedToVenue);
        var balances = await net.BalancesAsync(card);
        Assert.Equal(1_000, balances[net.Tnf.Id]);
        Assert.Equal(400, balances[AssetId.Federated]);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 0, Presence: CardPresence.Tap), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, card, 10, Presence: CardPresence.Tap), Ct));
        // Without the card at the counter (no tap, no printed secret, or a wrong one): refused before anything is looked at.
        await DomainAssert.ThrowsAsync(ErrorCodes.CardProofRequired, () => net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 10), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.CardProofRequired, () => net.Card(card).RefundAsync(new RefundRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 10, CardPresence.Secret("qr-wrong")), Ct));
    }

    [Fact]
    public async Task A_badge_records_a_zero_movement_once_per_key()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var key = TestNetwork.NewKey();

        var first = await net.Card(card).BadgeAsync(new BadgeRequest(key, net.Venue, net.Bdg.Id), Ct);
        var again = await net.Card(card).BadgeAsync(new BadgeRequest(key, net.Venue, net.Bdg.Id), Ct);

        Assert.True(first.Approved);
        Assert.Equal(first.OperationId, again.OperationId);
        Assert.Equal(0, Assert.Single(first.Movements).Amount);
        Assert.Equal(1, await LedgerSql.TransactionsOfKeyAsync(fixture.Database.DataSource, key));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.Card(card).BadgeAsync(new BadgeRequest(TestNetwork.NewKey(), net.Venue, net.Tlf.Id), Ct));
    }
}

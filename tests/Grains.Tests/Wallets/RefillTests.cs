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
public sealed class RefillTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refill_credits_the_venue_TLF_from_its_mint_and_makes_a_blank_card_anonymous()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        Assert.Equal(CardState.Blank, (await net.Card(card).GetDetailsAsync(Ct)).State);

        var result = await net.RefillAsync(card, 2_000);

        Assert.True(result.Approved);
        Assert.Equal(TransactionKind.Refill, result.Kind);
        var movement = Assert.Single(result.Movements);
        Assert.Equal(net.Tlf.Id, movement.Asset);
        Assert.Equal(net.Tlf.MintWallet, movement.From);
        Assert.Equal(2_000, Assert.Single(result.Balances).Amount);
        Assert.Equal(CardState.Anonymous, (await net.Card(card).GetDetailsAsync(Ct)).State);
        Assert.Equal(2_000, await LedgerSql.BalanceAsync(fixture.Database.DataSource, await net.WalletOfAsync(card), net.Tlf.Id));
        Assert.Equal(-2_000, await LedgerSql.BalanceAsync(fixture.Database.DataSource, net.Tlf.MintWallet, net.Tlf.Id));
    }

    [Fact]
    public async Task Refill_of_gift_money_is_allowed_for_the_issuing_venue()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var result = await net.RefillAsync(card, 500, net.Tnf.Id);
        Assert.True(result.Approved);
        Assert.Equal(500, (await net.BalancesAsync(card))[net.Tnf.Id]);
    }

    [Fact]
    public async Task Refill_requires_a_cashier_card_of_that_venue()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var other = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var notCashier = await net.NewCardAsync();

        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.Card(card).RefillAsync(new RefillRequest(TestNetwork.NewKey(), net.Venue, notCashier, 100, PaymentMeans.Cash), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.Card(card).RefillAsync(new RefillRequest(TestNetwork.NewKey(), net.Venue, other.Cashier, 100, PaymentMeans.Cash), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.Card(card).RefillAsync(new RefillRequest(TestNetwork.NewKey(), net.Venue, TestNetwork.NewUid(), 100, PaymentMeans.Cash), Ct));
        Assert.Empty(await net.BalancesAsync(card));
    }

    [Fact]
    public async Task FED_is_never_refilled_at_a_counter_and_a_venue_cannot_refill_another_venues_asset()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var other = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();

        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.RefillAsync(card, 100, AssetId.Federated));
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.RefillAsync(card, 100, other.Tlf.Id));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => net.RefillAsync(card, 100, AssetId.New()));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.RefillAsync(card, 100, net.Tim.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Refill_rejects_non_positive_amounts(long amount)
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.RefillAsync(card, amount));
    }

    [Fact]
    public async Task Refill_rejects_online_means_and_overflow()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.Card(card).RefillAsync(new RefillRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 100, PaymentMeans.Online), Ct));
        await net.RefillAsync(card, long.MaxValue - 10);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.RefillAsync(card, 100));
        Assert.Equal(long.MaxValue - 10, (await net.BalancesAsync(card))[net.Tlf.Id]);
    }

    [Fact]
    public async Task Archived_assets_are_not_refilled()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await fixture.Grains.GetVenue(net.Venue).ArchiveAssetAsync(net.Tnf.Id, Ct);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.RefillAsync(card, 100, net.Tnf.Id));
    }

    [Fact]
    public async Task Unknown_card_is_reported_as_UNKNOWN_CARD()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        await DomainAssert.ThrowsAsync(ErrorCodes.UnknownCard, () => net.RefillAsync(TestNetwork.NewUid(), 100));
    }
}

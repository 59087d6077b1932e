using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Venues;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Venues;

[Collection(ClusterCollection.Name)]
public sealed class VenueTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_venue_is_idempotent_and_registers_its_wallet()
    {
        var id = TestNetwork.NewVenueId();
        var venue = fixture.Grains.GetVenue(id);

        var created = await venue.CreateAsync(new CreateVenueRequest("La Rôtisserie"), Ct);

        Assert.Equal(created, await venue.CreateAsync(new CreateVenueRequest("La Rôtisserie"), Ct));
        Assert.Equal(WalletId.OfVenue(id), created.Wallet);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => venue.CreateAsync(new CreateVenueRequest("Other"), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetVenue(TestNetwork.NewVenueId()).CreateAsync(new CreateVenueRequest(""), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => fixture.Grains.GetVenue(TestNetwork.NewVenueId()).GetDetailsAsync(Ct));
        Assert.Equal(2, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT kind FROM ledger_wallets WHERE wallet_id = $1", created.Wallet.Value));
        Assert.Equal(1, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM venues WHERE venue_id = $1", id.Value));
    }

    [Fact]
    public async Task A_venue_issues_one_active_asset_per_kind_and_accepts_its_own_plus_FED()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var venue = fixture.Grains.GetVenue(net.Venue);

        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TLF, "Second"), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.FED, "FED"), Ct));
        Assert.Equal(net.Tlf, await venue.AddAssetAsync(new AddAssetRequest(net.Tlf.Id, AssetKind.TLF, net.Tlf.Name), Ct));
        var sub1 = await venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.SUB, "Adhésion"), Ct);
        var sub2 = await venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.SUB, "Adhésion soutien"), Ct);

        var profile = await venue.GetPaymentProfileAsync(Ct);

        Assert.Equal(
            new[] { net.Tlf.Id, net.Tnf.Id, net.Tim.Id, net.Bdg.Id, sub1.Id, sub2.Id, AssetId.Federated }.Select(a => a.Value).Order(),
            profile.Accepted.Select(a => a.Id.Value).Order());
        Assert.Equal([net.Tnf.Id, net.Tlf.Id, AssetId.Federated], profile.SpendingOrder);
    }

    [Fact]
    public async Task Archiving_removes_an_asset_from_the_accepted_ones_and_frees_its_kind()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var venue = fixture.Grains.GetVenue(net.Venue);

        var archived = await venue.ArchiveAssetAsync(net.Tlf.Id, Ct);

        Assert.True(archived.Archived);
        Assert.True((await fixture.Grains.GetAsset(net.Tlf.Id).GetDetailsAsync(Ct)).Archived);
        var profile = await venue.GetPaymentProfileAsync(Ct);
        Assert.DoesNotContain(profile.Accepted, a => a.Id == net.Tlf.Id);
        Assert.Contains(profile.Own, a => a.Id == net.Tlf.Id && a.Archived);
        var replacement = await venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TLF, "Euro local 2"), Ct);
        Assert.Contains(replacement.Id, (await venue.GetPaymentProfileAsync(Ct)).SpendingOrder);
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => venue.ArchiveAssetAsync(AssetId.New(), Ct));
    }

    [Fact]
    public async Task A_custom_spending_order_is_validated_and_used()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var venue = fixture.Grains.GetVenue(net.Venue);

        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => venue.SetSpendingOrderAsync([net.Bdg.Id], Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => venue.SetSpendingOrderAsync([AssetId.New()], Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => venue.SetSpendingOrderAsync([net.Tlf.Id, net.Tlf.Id], Ct));
        await venue.SetSpendingOrderAsync([AssetId.Federated, net.Tlf.Id], Ct);
        Assert.Equal([AssetId.Federated, net.Tlf.Id, net.Tnf.Id], (await venue.GetPaymentProfileAsync(Ct)).SpendingOrder);

        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 100, net.Tnf.Id);
        await net.IssueFedAsync(card, 100);
        var result = await net.PayAsync(card, 150);
        Assert.Equal([(AssetId.Federated, 100L), (net.Tnf.Id, 50L)], result.Movements.Select(m => (m.Asset, m.Amount)));

        await venue.SetSpendingOrderAsync([], Ct);
        Assert.Equal([net.Tnf.Id, net.Tlf.Id, AssetId.Federated], (await venue.GetPaymentProfileAsync(Ct)).SpendingOrder);
    }
}

using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Venues;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Assets;

[Collection(ClusterCollection.Name)]
public sealed class AssetTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task There_is_exactly_one_FED_and_it_cannot_be_archived()
    {
        var fed = await TestNetwork.EnsureFedAsync(fixture.Grains);
        Assert.Equal(fed, await TestNetwork.EnsureFedAsync(fixture.Grains));
        Assert.Null(fed.IssuingVenue);

        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => fixture.Grains.GetAsset(AssetId.Federated).CreateAsync(new CreateAssetRequest(AssetKind.FED, "Another name", null), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetAsset(AssetId.New()).CreateAsync(new CreateAssetRequest(AssetKind.FED, "Second FED", null), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetAsset(AssetId.Federated).CreateAsync(new CreateAssetRequest(AssetKind.TLF, "x", new VenueId("v")), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => fixture.Grains.GetAsset(AssetId.Federated).ArchiveAsync(Ct));
        Assert.Equal(1, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM assets WHERE kind = 'FED'"));
    }

    [Fact]
    public async Task Local_assets_need_a_venue_and_a_name()
    {
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetAsset(AssetId.New()).CreateAsync(new CreateAssetRequest(AssetKind.TLF, "Euro", null), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetAsset(AssetId.New()).CreateAsync(new CreateAssetRequest(AssetKind.TLF, " ", new VenueId("v")), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => fixture.Grains.GetAsset(AssetId.New()).GetDetailsAsync(Ct));
        Assert.Null(await fixture.Grains.GetAsset(AssetId.New()).FindAsync(Ct));
    }
}

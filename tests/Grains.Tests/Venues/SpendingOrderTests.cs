using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Tests.Venues;

/// <summary>The spending order alone: no cluster.</summary>
public sealed class SpendingOrderTests
{
    private static readonly VenueId Here = new("here");
    private static readonly VenueId Partner = new("partner");

    private static AssetDetails Asset(AssetKind kind, VenueId? venue) =>
        new(kind == AssetKind.FED ? AssetId.Federated : AssetId.New(), kind, kind.ToString(), venue, false, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Default_is_gift_then_venue_euro_then_FED_with_federated_assets_after_own_ones()
    {
        var fed = Asset(AssetKind.FED, null);
        var tlf = Asset(AssetKind.TLF, Here);
        var tnf = Asset(AssetKind.TNF, Here);
        var partnerTlf = Asset(AssetKind.TLF, Partner);
        var partnerTnf = Asset(AssetKind.TNF, Partner);
        var tim = Asset(AssetKind.TIM, Here);
        var sub = Asset(AssetKind.SUB, Here);

        var order = SpendingOrder.Compute(Here, [fed, partnerTlf, tlf, tim, sub, partnerTnf, tnf], []);

        Assert.Equal([tnf.Id, partnerTnf.Id, tlf.Id, partnerTlf.Id, fed.Id], order);
    }

    [Fact]
    public void A_custom_order_comes_first_and_may_make_time_currency_spendable()
    {
        var fed = Asset(AssetKind.FED, null);
        var tlf = Asset(AssetKind.TLF, Here);
        var tnf = Asset(AssetKind.TNF, Here);
        var tim = Asset(AssetKind.TIM, Here);
        var bdg = Asset(AssetKind.BDG, Here);

        var order = SpendingOrder.Compute(Here, [fed, tlf, tnf, tim, bdg], [fed.Id, tim.Id, bdg.Id, AssetId.New()]);

        Assert.Equal([fed.Id, tim.Id, tnf.Id, tlf.Id], order);
    }
}

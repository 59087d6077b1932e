using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Till;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Till;

/// <summary>The till's records survive the Orleans serializer unchanged; which baskets go together.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TillRecordsTests(ClusterFixture fixture)
{
    private static readonly TillContext Context = new("bar", "user-1", Guid.NewGuid(), "t1", Guid.NewGuid());
    private static readonly PricedLine Beer = new(SaleLineKind.Sale, Guid.NewGuid(), "Beer", Guid.NewGuid(), "Drinks", 2000, 2, 350, null, "bar");
    private static readonly SaleLineRow Row = new(SaleLineKind.Void, Guid.NewGuid(), "Beer", null, null, 2000, 1, 350, -350, SaleLineMeans.Card, AssetId.New(), new CardUid("04A2B3C4"), 42, "spilled");

    public static TheoryData<object> Samples() =>
    [
        Context, Beer, Row, new TillSale(Context, [Beer]), new TillRows(Context, [Row]),
        new TillSellRequest(new IdempotencyKey("k"), new PointOfSaleId(new VenueId("cafe"), "bar"), new CardUid("04A2B3C4"), "user-1", [new SellLine(Guid.NewGuid(), 1)],
            new CardUid("04A2B3C5"), PaymentMeans.Cash, null, null, null, null, Priced: [], CardQrId: "qr", MaxSale: 1000, MaxTopUp: 2000),
        new TillVoidRequest(new IdempotencyKey("k"), [1, 2], "spilled", "user-1"),
        new VoidedLine(1, 350, SaleLineMeans.Cash, null, null, Guid.NewGuid()),
        new StoredSaleLine(1, Guid.NewGuid(), Context, Row, DateTimeOffset.UnixEpoch, true, "k#void-1"),
        new TillMembershipRequest(new IdempotencyKey("k"), MembershipProductId.New(), new CardUid("04A2B3C4"), MembershipChannel.Wallet, 1500, Guid.NewGuid()),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_unchanged(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;

        Assert.Equal(value.GetType(), copy.GetType());
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void Sales_memberships_and_deposits_mix_other_behaviours_stand_alone()
    {
        PricedLine Of(SaleLineKind kind, long price = 100, AssetId? asset = null) => Beer with { Kind = kind, UnitPrice = price, Quantity = 1, OnlyAsset = asset };
        var tlf = AssetId.New();

        Assert.Equal(TillBasketKind.Sale, TillBasket.Classify([Of(SaleLineKind.Sale), Of(SaleLineKind.DepositReturn, -50), Of(SaleLineKind.Membership)], true, PaymentMeans.None, false));
        Assert.Equal(TillBasketKind.DepositBack, TillBasket.Classify([Of(SaleLineKind.DepositReturn, -50)], false, PaymentMeans.Cash, false));
        Assert.Equal(TillBasketKind.TopUp, TillBasket.Classify([Of(SaleLineKind.TopUp, 100, tlf), Of(SaleLineKind.TopUp, 200, tlf)], true, PaymentMeans.BankCard, false));
        Assert.Equal(ErrorCodes.BasketMixesBehaviours, Assert.Throws<DomainException>(() => TillBasket.Classify([Of(SaleLineKind.Badge, 0), Of(SaleLineKind.Sale)], true, PaymentMeans.None, false)).Code);
        Assert.Equal(ErrorCodes.WrongAsset, Assert.Throws<DomainException>(() => TillBasket.Classify([Of(SaleLineKind.TopUp, 100, tlf), Of(SaleLineKind.TopUp, 100, AssetId.New())], true, PaymentMeans.Cash, false)).Code);
        Assert.Equal(ErrorCodes.CardRequired, Assert.Throws<DomainException>(() => TillBasket.Classify([Of(SaleLineKind.Membership)], false, PaymentMeans.Cash, false)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => TillBasket.Classify([Of(SaleLineKind.Refund, 0)], true, PaymentMeans.None, true)).Code);
    }
}

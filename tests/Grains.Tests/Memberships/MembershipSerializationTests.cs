using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.OnlinePayments;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Memberships;

/// <summary>Every membership and online-payment type that crosses a grain call survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipSerializationTests(ClusterFixture fixture)
{
    private static readonly MembershipProductId Product = MembershipProductId.New();
    private static readonly MembershipPeriod Period = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7));
    private static readonly MembershipPurchase Purchase = new(Guid.NewGuid(), Product, new VenueId("cafe"), WalletId.New(), new CardUid("04A2B3C4"),
        MembershipChannel.Wallet, 1500, Guid.NewGuid(), null, Period, DateTimeOffset.UnixEpoch, null);
    private static readonly MembershipProductStatus ProductStatus = new(Product, "Adhésion", MembershipState.Valid, DateTimeOffset.UnixEpoch, null, false);

    public static TheoryData<object> Samples() =>
    [
        Product, Period, Purchase, ProductStatus,
        new MembershipProduct(Product, new VenueId("cafe"), "Adhésion", MembershipDuration.SchoolYear, 1500, true, "Europe/Paris", false, DateTimeOffset.UnixEpoch),
        new CounterMembershipRequest(new IdempotencyKey("k"), Product, new CardUid("04CA5E01"), new CardUid("04A2B3C4"), MembershipChannel.Cash),
        new OnlineMembershipRequest(new IdempotencyKey("k"), Product, "cs_test_1", 1500),
        new MembershipPurchaseResult(true, DeclineReason.None, 0, Purchase),
        new MembershipStatus(new VenueId("cafe"), MembershipState.Valid, DateTimeOffset.UnixEpoch, null, false, [ProductStatus]),
        new CheckoutSession("cs_test_1", CheckoutKind.Membership, new EmailAddress("a@b.c"), WalletId.New(), new VenueId("cafe"), "acct_1", Product, 1500, "eur",
            CheckoutStatus.AwaitingPayment, "http://x/pay", "pi_1", DateTimeOffset.UnixEpoch, null),
        new StripeSessionView("cs_test_1", "complete", "paid", "pi_1", 1500, null),
        new OnlineRefundResult(true, DeclineReason.None, 800, [new OnlineRefundPart("cs_test_1", "pi_1", 800, "re_1")]),
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
    public void A_refund_is_planned_over_the_newest_payments_first_and_refused_beyond_them()
    {
        var plan = OnlineRefundGrain.Plan([("new", "pi_n", 500), ("old", "pi_o", 1000)], 800);
        Assert.Equal([new OnlineRefundPart("new", "pi_n", 500, null), new OnlineRefundPart("old", "pi_o", 300, null)], plan);

        var refused = Assert.Throws<DomainException>(() => OnlineRefundGrain.Plan([("new", "pi_n", 500)], 501));
        Assert.Equal(ErrorCodes.NoStripePayment, refused.Code);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Orders;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Orders;

/// <summary>Every type of the orders capability survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderSerializationTests(ClusterFixture fixture)
{
    private static readonly OrderLine Line = new(Guid.NewGuid(), SaleLineKind.Sale, Guid.NewGuid(), "Burger", Guid.NewGuid(), "Food", 1000, 2, 1200,
        null, "kitchen", OrderLineStatus.Sent, 500, [Guid.NewGuid()], null, DateTimeOffset.UnixEpoch);

    private static readonly OrderPayment Payment = new("v:cafe:k", "f", [new OrderPaymentPart(Line.Id, 500, 0)], true, Guid.NewGuid(), 0);

    private static readonly Order Order = new(Guid.NewGuid(), "cafe", "bar", "t1", null, OrderStatus.InPreparation, DateTimeOffset.UnixEpoch, null,
        [Line], [Payment], new OrderSplit(3, 2400, 1));

    private static readonly OrderSummary Summary = new(Order.Id, "t1", null, OrderStatus.ToPay, 2400, 1900, DateTimeOffset.UnixEpoch);

    public static TheoryData<object> Samples() =>
    [
        Line, Payment, new OrderPaymentPart(Line.Id, 500, 0), new OrderSplit(3, 2400, 1), Order, Summary,
        new OpenOrderRequest(new VenueId("cafe"), "bar", "t1"),
        new PayOrderRequest(new VenueId("cafe"), new IdempotencyKey("k"), new CardUid("04A2B3C4"), "user", Guid.NewGuid(), [Line.Id], 3,
            new CardUid("04A2B3C5"), PaymentMeans.Cash, null),
        new OrderPaymentResult(PaymentResult.Declined(DeclineReason.None), Order),
        new TableDetails("t1", "Table 1", true, false, TableStatus.Waiting, [Summary]),
        new StationLine(Order.Id, "t1", null, Line.Id, "Burger", 2, OrderLineStatus.Sent),
        new StationEvent(StationEventKind.Sent, "cafe", "kitchen", [new StationLine(Order.Id, null, 4, Line.Id, "Burger", 2, OrderLineStatus.Sent)], DateTimeOffset.UnixEpoch),
        new PricedLine(SaleLineKind.Sale, Guid.NewGuid(), "Burger", null, null, 1000, 0, 1200, null, "kitchen", 450),
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
    public void An_order_survives_its_stored_json_form()
    {
        var copy = JsonSerializer.Deserialize<Order>(JsonSerializer.Serialize(Order))!;

        Assert.Equal(JsonSerializer.Serialize(Order), JsonSerializer.Serialize(copy));
        Assert.Equal(Order.Remaining, copy.Remaining);
    }
}

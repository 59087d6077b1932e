using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.PointOfSale;

/// <summary>Every point-of-sale type that crosses a grain call or is stored survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PointOfSaleSerializationTests(ClusterFixture fixture)
{
    private static readonly PointOfSaleId Id = new(new VenueId("cafe"), "bar");
    private static readonly PendingRequest Payment = new(Guid.NewGuid(), PendingRequestKind.Payment, [new SaleLine("Bière", 2, 250)], 500, PaymentMeans.None, DateTimeOffset.UnixEpoch);
    private static readonly PendingRequest TopUp = new(Guid.NewGuid(), PendingRequestKind.TopUp, [], 2_000, PaymentMeans.BankCard, DateTimeOffset.UnixEpoch);
    private static readonly PointOfSaleDetails Details = new(Id, "Bar", new CardUid("04A2B3C4"), DateTimeOffset.UnixEpoch, Payment, DateTimeOffset.UnixEpoch);
    private static readonly TapResult Result = new(
        "tap-1", Id, "Virtual PCD 00 00", TapOutcome.Declined, "Insufficient funds: 1.00 missing.", new CardUid("04A2B3C4D5E6F7"), 500,
        [new TapBalance(AssetId.New(), "Euro local", AssetKind.TLF, 400)], DeclineReason.InsufficientFunds, 100, CardState.Anonymous,
        [new TapTransaction(7, TransactionKind.Refill, AssetId.New(), "Euro local", 400, new VenueId("cafe"), DateTimeOffset.UnixEpoch)],
        Payment.Id, Guid.NewGuid(), DateTimeOffset.UnixEpoch);

    public static TheoryData<object> Samples() =>
    [
        Id, Payment, TopUp, Details, new CreatePointOfSaleRequest("Bar"), new RequestPaymentRequest([new SaleLine("Bière", 2, 250)]),
        new RequestTopUpRequest(2_000, PaymentMeans.Cash), new TapRequest("tap-1", "Virtual PCD 00 00", "04A2B3C4"), Result,
        Result.Balances[0], Result.Transactions[0],
        new PointOfSaleState { Details = Details, RecentTaps = [Result] },
        new TapHandled(Details, DateTimeOffset.UnixEpoch, Result), new PaymentRequested(Details, DateTimeOffset.UnixEpoch, Payment),
        new TopUpRequested(Details, DateTimeOffset.UnixEpoch, TopUp), new PendingRequestCancelled(Details, DateTimeOffset.UnixEpoch, Payment),
        Details with { Mode = PointOfSaleMode.Door }, new CreatePointOfSaleRequest("Door", PointOfSaleMode.Door),
        new PointOfSaleModeChanged(Details with { Mode = PointOfSaleMode.Door }, DateTimeOffset.UnixEpoch),
        Result with { Outcome = TapOutcome.CheckedIn, Door = Admission }, Admission,
        OrderPart, Payment with { Order = OrderPart }, Result with { Outcome = TapOutcome.Approved, Order = OrderPart.Order },
        new PointOfSaleState { Details = Details with { Pending = Payment with { Order = OrderPart } }, RecentTaps = [Result with { Order = OrderPart.Order }] },
        new RequestOrderPaymentRequest(Guid.NewGuid(), [Guid.NewGuid()], null, new IdempotencyKey("v:cafe:k-1"), Guid.NewGuid().ToString(), null),
    ];

    private static readonly PendingOrderPayment OrderPart =
        new(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], null, new IdempotencyKey("v:cafe:k-1"), Guid.NewGuid().ToString(), Guid.NewGuid(), "t1");

    private static readonly DoorAdmission Admission = new(
        new TiBillet.Grains.Events.EventId(Guid.NewGuid()), "Concert", DateTimeOffset.UnixEpoch, Guid.NewGuid(), "Ada", 2, DateTimeOffset.UnixEpoch, "cashier card 04A2B3C4", "Door · reader");

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_unchanged(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;

        Assert.Equal(value.GetType(), copy.GetType());
        // Records holding ImmutableArray compare arrays by reference, so compare their full JSON form.
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void An_event_read_as_its_base_type_keeps_its_kind()
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        PointOfSaleEvent sent = new TapHandled(Details, DateTimeOffset.UnixEpoch, Result);

        var copy = serializer.Deserialize<PointOfSaleEvent>(serializer.SerializeToArray(sent));

        var handled = Assert.IsType<TapHandled>(copy);
        Assert.Equal(Details.Id, handled.PointOfSale.Id);
        Assert.Equal("tap-1", handled.Result.TapId);
    }

    [Fact]
    public void Every_serialisable_point_of_sale_type_has_a_sample()
    {
        var covered = Samples().Select(row => row.Data.GetType()).ToHashSet();
        var serialisable = typeof(IPointOfSaleGrain).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IPointOfSaleGrain).Namespace && !t.IsEnum && !t.IsAbstract
                        && t.GetCustomAttributes(typeof(GenerateSerializerAttribute), false).Length > 0)
            .ToList();

        Assert.Empty(serialisable.Where(t => !covered.Contains(t)).Select(t => t.FullName));
    }
}

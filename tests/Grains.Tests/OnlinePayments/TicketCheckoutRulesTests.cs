using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.OnlinePayments;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.OnlinePayments;

/// <summary>Paying tickets online and members-only prices: the pure rules, and the records that gained members.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TicketCheckoutRulesTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 20, 0, 0, TimeSpan.Zero);

    private static Reservation Held(long total = 1000, ReservationState state = ReservationState.Held, DateTimeOffset? until = null) =>
        new(Guid.NewGuid(), EventId.New(), new VenueId("cafe"), new EmailAddress("a@b.c"), state, [new ReservedSeat("full", total, null)], total,
            until ?? Now.AddMinutes(10), []);

    public static TheoryData<object> Samples() =>
    [
        new CheckoutSession("cs_test_1", CheckoutKind.Ticket, new EmailAddress("a@b.c"), WalletId.New(), new VenueId("cafe"), "acct_1", null, 1500, "eur",
            CheckoutStatus.Refunded, null, "pi_1", Now, Now, EventId.New(), Guid.NewGuid(), "re_1"),
        new ConfirmRequest(Guid.NewGuid(), ConfirmMeans.Stripe, new EmailAddress("a@b.c"), null, null, null, "cs_test_1"),
        Held() with { CheckoutSession = "cs_test_1" },
        new EventPrice("member", "Adhérent", PriceKind.Fixed, 500, null, null, null, null, MembershipProductId.New()),
        new CorrectionRequest(new IdempotencyKey("k"), AssetId.Federated, 300, false, "refund", TransactionKind.OnlineRefund),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_unchanged_through_the_orleans_serializer(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;

        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void A_members_only_price_survives_the_events_json_column()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ImmutableArray<EventPrice> prices = [new("full", "Plein", PriceKind.Fixed, 1000, null, null, null, null), new("member", "Adhérent", PriceKind.Fixed, 500, 10, 1, null, null, MembershipProductId.New())];

        var copy = JsonSerializer.Deserialize<ImmutableArray<EventPrice>>(JsonSerializer.Serialize(prices, web), web);

        Assert.Equal(prices, copy);
    }

    [Fact]
    public void Only_a_held_paid_reservation_within_its_hold_can_be_paid_online()
    {
        OnlineTickets.RequirePayable(Held(), Now);

        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => OnlineTickets.RequirePayable(Held(total: 0), Now)).Code);
        Assert.Equal(ErrorCodes.HoldExpired, Assert.Throws<DomainException>(() => OnlineTickets.RequirePayable(Held(until: Now), Now)).Code);
        Assert.Equal(ErrorCodes.HoldExpired, Assert.Throws<DomainException>(() => OnlineTickets.RequirePayable(Held(state: ReservationState.Expired), Now)).Code);
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<DomainException>(() => OnlineTickets.RequirePayable(Held(state: ReservationState.Confirmed), Now)).Code);
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<DomainException>(() => OnlineTickets.RequirePayable(Held(state: ReservationState.Cancelled), Now)).Code);
    }

    [Fact]
    public void An_online_refund_debit_hashes_apart_from_a_correction_and_is_never_a_credit()
    {
        var wallet = WalletId.New();
        var correction = new CorrectionRequest(new IdempotencyKey("k"), AssetId.Federated, 300, false, "refund");

        var plain = AdminPlanner.CheckCorrection(wallet, correction);
        var online = AdminPlanner.CheckCorrection(wallet, correction with { Kind = TransactionKind.OnlineRefund });

        Assert.NotEqual(plain, online);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() =>
            AdminPlanner.CheckCorrection(wallet, correction with { Kind = TransactionKind.OnlineRefund, Credit = true })).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => AdminPlanner.CheckCorrection(wallet, correction with { Kind = TransactionKind.Sale })).Code);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Tickets;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Events;

/// <summary>Every type of events, reservations and tickets that crosses a grain call survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventSerializationTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private static readonly EmailAddress Ada = new("ada@example.org");
    private static readonly EventPrice Price = new("full", "Plein", PriceKind.PayWhatYouWant, 500, 10, 2, At, At.AddDays(1));
    private static readonly EventDefinition Definition = new("Night", "Music", At, At.AddHours(2), "Europe/Paris", ["jazz"], "https://example.org/p.png", 10, true, true, [Price], 60);
    private static readonly TicketSummary Ticket = new(Guid.NewGuid(), "full", "Ada", "code", false, At);

    public static TheoryData<object> Samples() =>
    [
        EventId.New(), Price, Definition, new PriceAvailability("full", 3, 7),
        new EventDetails(EventId.New(), new VenueId("cafe"), EventState.Published, Definition, 3, 1, [new PriceAvailability("full", 3, 7)]),
        new PaidMovement(Guid.NewGuid(), 500, Guid.NewGuid(), Guid.NewGuid()),
        new SeatRequest("full", 700, "Ada"), new ReservedSeat("full", 700, "Ada"), new ReserveRequest(Ada, new IdempotencyKey("k"), [new SeatRequest("full")]),
        Ticket, new Reservation(Guid.NewGuid(), EventId.New(), new VenueId("cafe"), Ada, ReservationState.Confirmed, [new ReservedSeat("full", 700, null)], 700, At, [Ticket], true),
        new ConfirmRequest(Guid.NewGuid(), ConfirmMeans.Counter, Ada, WalletId.New(), new CardUid("04A2B3C4"), new CardUid("04A2B3C5")),
        new CheckInRequest(Guid.NewGuid(), "staff", "door"), new CheckInResult(CheckInOutcome.AlreadyCheckedIn, Guid.NewGuid(), "Ada", At, "staff", "door"),
        new VenueTicketKey(new VenueId("cafe"), "cafe:1", [1, 2, 3]),
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
    public void Every_serialisable_type_has_a_sample()
    {
        string[] namespaces = ["TiBillet.Grains.Events", "TiBillet.Grains.Reservations", "TiBillet.Grains.Tickets"];
        var covered = Samples().Select(row => row.Data.GetType()).ToHashSet();
        var serialisable = typeof(IEventGrain).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(GenerateSerializerAttribute), false).Length > 0 && !t.IsEnum && namespaces.Contains(t.Namespace))
            .ToList();
        Assert.Empty(serialisable.Where(t => !covered.Contains(t)).Select(t => t.FullName));
    }
}

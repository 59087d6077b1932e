using System.Collections.Immutable;
using Orleans.Concurrency;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Orders;

/// <summary>What a preparation station's feed tells.</summary>
public enum StationEventKind
{
    /// <summary>The opening message: every line the station has to do now.</summary>
    Subscribed = 0,

    /// <summary>Lines sent to the station.</summary>
    Sent = 1,

    Prepared = 2,
    Served = 3,

    /// <summary>Lines cancelled: stop preparing them.</summary>
    Voided = 4,

    /// <summary>Lines moved to another table (their order and table are the new ones).</summary>
    Moved = 5,
}

/// <summary>One line on a station's screen, with the order, table or takeaway ticket it goes to.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.StationLine")]
public sealed record StationLine(
    [property: Id(0)] Guid Order,
    [property: Id(1)] string? Table,
    [property: Id(2)] int? Ticket,
    [property: Id(3)] Guid Line,
    [property: Id(4)] string Name,
    [property: Id(5)] int Quantity,
    [property: Id(6)] OrderLineStatus Status);

/// <summary>A message of a preparation station's feed.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Orders.StationEvent")]
public sealed record StationEvent(
    [property: Id(0)] StationEventKind Kind,
    [property: Id(1)] string Venue,
    [property: Id(2)] string Station,
    [property: Id(3)] ImmutableArray<StationLine> Lines,
    [property: Id(4)] DateTimeOffset At);

/// <summary>Told of a station's events (one per silo: the API's station hub, which fans them out to the screens).</summary>
[Alias("TiBillet.Grains.Orders.IStationObserver")]
public interface IStationObserver : IGrainObserver
{
    /// <summary>One event (best effort: a screen that missed one reloads with a new subscription).</summary>
    [Alias("OnEventAsync"), OneWay]
    Task OnEventAsync(StationEvent stationEvent);
}

/// <summary>
/// A preparation station of a venue (bar, kitchen…), keyed "venue/station": it relays the lines order grains route to it to
/// the silos whose screens follow it. Keeps nothing: what the station has to do is read from the orders.
/// </summary>
[Alias("TiBillet.Grains.Orders.IPreparationStationGrain")]
public interface IPreparationStationGrain : IGrainWithStringKey
{
    /// <summary>Subscribes (or renews) an observer; it expires unless renewed within <c>PreparationStationGrain.ObserverExpiry</c>.</summary>
    [Alias("SubscribeAsync")]
    Task SubscribeAsync(IStationObserver observer);

    [Alias("UnsubscribeAsync")]
    Task UnsubscribeAsync(IStationObserver observer);

    /// <summary>Relays an event to the subscribed observers (one-way: an order never waits for screens).</summary>
    [Alias("PublishAsync"), OneWay]
    Task PublishAsync(StationEvent stationEvent);
}

public static class OrderGrainFactoryExtensions
{
    public static IOrderGrain GetOrder(this IGrainFactory grains, Guid id) => grains.GetGrain<IOrderGrain>(id);

    public static ITablePlanGrain GetTablePlan(this IGrainFactory grains, VenueId venue) => grains.GetGrain<ITablePlanGrain>(venue.Value);

    /// <summary>A station's key: its venue and its name as the catalog's categories spell it.</summary>
    public static IPreparationStationGrain GetPreparationStation(this IGrainFactory grains, VenueId venue, string station) =>
        grains.GetGrain<IPreparationStationGrain>(venue.Value + "/" + station);
}

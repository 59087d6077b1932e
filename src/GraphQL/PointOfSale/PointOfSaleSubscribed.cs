using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>
/// The first message of a screen's subscription: the point of sale as it was when the subscription started. Made by
/// the API's hub, never by the grain, so it never crosses a grain call.
/// </summary>
public sealed record PointOfSaleSubscribed(PointOfSaleDetails PointOfSale, DateTimeOffset At) : PointOfSaleEvent(PointOfSale, At);

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The kinds of <c>pointOfSaleEvents</c> message.</summary>
public enum PointOfSaleEventKind
{
    /// <summary>First message of every subscription: the point of sale as it is now.</summary>
    Subscribed,

    TapHandled,

    PaymentRequested,

    TopUpRequested,

    RequestCancelled,

    /// <summary>The venue changed the till's mode (SALE or DOOR).</summary>
    ModeChanged,
}

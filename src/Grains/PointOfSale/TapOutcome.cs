namespace TiBillet.Grains.PointOfSale;

/// <summary>What a tap did. Values are frozen (stored in recent-tap results).</summary>
public enum TapOutcome
{
    /// <summary>The pending payment was paid; the request is cleared.</summary>
    Approved = 0,

    /// <summary>The pending payment or top-up was declined (funds short, card lost); the request stays pending.</summary>
    Declined = 1,

    /// <summary>The pending top-up was credited; the request is cleared.</summary>
    ToppedUp = 2,

    /// <summary>Nothing was pending: the card's balances and last transactions are shown.</summary>
    Balance = 3,

    /// <summary>A cashier card opened the till (or took it over from another cashier card).</summary>
    TillOpened = 4,

    /// <summary>The cashier card that opened the till closed it.</summary>
    TillClosed = 5,

    /// <summary>The tap cannot be served: till closed, card lost, or a rule of the venue refused it (see the message).</summary>
    Refused = 6,

    /// <summary>The card is not registered.</summary>
    UnknownCard = 7,
}

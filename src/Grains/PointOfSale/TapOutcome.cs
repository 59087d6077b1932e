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

    /// <summary>Door: the holder's ticket for the event running now was scanned; let one person in.</summary>
    CheckedIn = 8,

    /// <summary>Door: the holder has no confirmed ticket at this venue (a ticket of another venue counts as none).</summary>
    NoTicket = 9,

    /// <summary>Door: every ticket of the holder for the running event was already scanned (see when, where and by whom).</summary>
    AlreadyIn = 10,

    /// <summary>Door: the holder has a ticket at this venue, but for another event or day.</summary>
    WrongDay = 11,

    /// <summary>Door: no published event of the venue is under way now (or about to start).</summary>
    NoEventRunning = 12,

    /// <summary>Door: the card is not linked to anyone, so it carries no tickets.</summary>
    AnonymousCard = 13,
}

namespace TiBillet.Grains.PointOfSale;

/// <summary>What a till's customer taps do. Values are frozen (stored in the till's state).</summary>
public enum PointOfSaleMode
{
    /// <summary>A counter: a tap pays the pending payment, credits the pending top-up, or shows the balances.</summary>
    Sale = 0,

    /// <summary>A door: a tap checks the card holder in for the event running now at the venue. No money moves.</summary>
    Door = 1,
}

namespace TiBillet.Grains.PointOfSale;

/// <summary>What the next customer tap at a point of sale will do. Values are frozen (stored).</summary>
public enum PendingRequestKind
{
    /// <summary>Pay a basket (or an amount) with the tapped card.</summary>
    Payment = 0,

    /// <summary>Credit the tapped card with an amount paid in cash or by bank card.</summary>
    TopUp = 1,
}

namespace TiBillet.Grains.Assets;

/// <summary>The kinds of asset (docs/architecture.md, "Domain"). Serialised by name in SQL read models; values are frozen.</summary>
public enum AssetKind
{
    /// <summary>The network euro, bought online; exactly one per instance.</summary>
    FED = 0,

    /// <summary>A venue's own euro, topped up at its counter.</summary>
    TLF = 1,

    /// <summary>Gift money issued by a venue; never refunded in cash.</summary>
    TNF = 2,

    /// <summary>Time currency (volunteer hours).</summary>
    TIM = 3,

    /// <summary>Loyalty points.</summary>
    FID = 4,

    /// <summary>A membership record.</summary>
    SUB = 5,

    /// <summary>A punch-clock badge event (amount 0).</summary>
    BDG = 6,
}

using System.Collections.Immutable;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// Stored state of a <see cref="PointOfSaleGrain"/>. Bounded: the details (one pending request of at most
/// <see cref="Wallets.Basket.MaxLines"/> lines) and the last <see cref="MaxRecentTaps"/> tap results.
/// </summary>
[GenerateSerializer, Alias("TiBillet.Grains.PointOfSale.PointOfSaleState")]
public sealed class PointOfSaleState
{
    /// <summary>
    /// How many tap results are kept for retries. A reader agent retries one tap for at most 30 s, and one till sees a
    /// tap every few seconds at most, so this covers a retry window with room to spare.
    /// </summary>
    public const int MaxRecentTaps = 32;

    /// <summary>Null until the point of sale is created.</summary>
    [Id(0)]
    public PointOfSaleDetails? Details { get; set; }

    /// <summary>The last taps' results, oldest first, so a retried tap gets its first result back.</summary>
    [Id(1)]
    public ImmutableArray<TapResult> RecentTaps { get; set; } = [];
}

using System.Collections.Immutable;
using Orleans.Concurrency;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>
/// A venue's configuration, keyed by its <see cref="VenueId"/>: name, own assets, spending order. Never on the sale path
/// for writes: sales credit the venue wallet as ledger deltas, and read the payment profile through a per-silo cache.
/// </summary>
[Alias("TiBillet.Grains.Venues.IVenueGrain")]
public interface IVenueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the venue and registers its wallet. Idempotent for the same name. BAD_USER_INPUT for a bad name;
    /// CONFLICT if the venue exists under another name.
    /// </summary>
    [Alias("CreateAsync")]
    Task<VenueDetails> CreateAsync(CreateVenueRequest request, CancellationToken cancellationToken = default);

    /// <summary>The venue. NOT_FOUND if never created.</summary>
    [Alias("GetDetailsAsync"), ReadOnly]
    Task<VenueDetails> GetDetailsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a local asset (TLF, TNF, TIM, FID, SUB or BDG) issued by this venue. Idempotent for the same id and values.
    /// NOT_FOUND for an unknown venue; BAD_USER_INPUT for FED or a bad name; CONFLICT when the venue already has an active
    /// asset of the same kind (TLF, TNF, TIM, FID: one each) or the id is taken by another asset.
    /// </summary>
    [Alias("AddAssetAsync")]
    Task<AssetDetails> AddAssetAsync(AddAssetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Archives one of the venue's assets (idempotent). NOT_FOUND when the venue or the asset (of this venue) is unknown.</summary>
    [Alias("ArchiveAssetAsync")]
    Task<AssetDetails> ArchiveAssetAsync(AssetId asset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the custom spending order (empty restores the default gift → venue euro → FED). BAD_USER_INPUT when an id is
    /// not an accepted, spendable asset of the venue or is repeated; NOT_FOUND for an unknown venue.
    /// </summary>
    [Alias("SetSpendingOrderAsync")]
    Task<VenueDetails> SetSpendingOrderAsync(ImmutableArray<AssetId> order, CancellationToken cancellationToken = default);

    /// <summary>
    /// The accepted assets (own active ones, federations', FED) and the sale spending order. NOT_FOUND if never created.
    /// Read-only: interleaves with other reads.
    /// </summary>
    [Alias("GetPaymentProfileAsync"), ReadOnly]
    Task<VenuePaymentProfile> GetPaymentProfileAsync(CancellationToken cancellationToken = default);
}

using Orleans.Concurrency;

namespace TiBillet.Grains.Assets;

/// <summary>
/// One asset (currency or token), keyed by its <see cref="Common.AssetId"/>. Local assets are created through their
/// issuing venue (<see cref="Venues.IVenueGrain.AddAssetAsync"/>) so the venue knows them; FED is created here on
/// <see cref="Common.AssetId.Federated"/>.
/// </summary>
[Alias("TiBillet.Grains.Assets.IAssetGrain")]
public interface IAssetGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the asset and registers its mint wallet. Idempotent: the same request again returns the existing asset.
    /// BAD_USER_INPUT for a bad name or a FED/local mismatch (FED only on the fixed FED id, without venue; local kinds
    /// with their venue, never on the FED id); CONFLICT if the asset exists with other values.
    /// </summary>
    [Alias("CreateAsync")]
    Task<AssetDetails> CreateAsync(CreateAssetRequest request, CancellationToken cancellationToken = default);

    /// <summary>The asset. NOT_FOUND if it was never created.</summary>
    [Alias("GetDetailsAsync"), ReadOnly]
    Task<AssetDetails> GetDetailsAsync(CancellationToken cancellationToken = default);

    /// <summary>The asset, or null if it was never created.</summary>
    [Alias("FindAsync"), ReadOnly]
    Task<AssetDetails?> FindAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Archives the asset: no longer accepted for payments nor refilled; balances stay and can still be refunded.
    /// Idempotent. NOT_FOUND if never created; CONFLICT for FED, which cannot be archived.
    /// </summary>
    [Alias("ArchiveAsync")]
    Task<AssetDetails> ArchiveAsync(CancellationToken cancellationToken = default);
}

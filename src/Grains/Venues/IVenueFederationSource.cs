using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>
/// The extension point for federations (a later issue): the assets a venue accepts because it belongs to a federation.
/// The default has none. Implementations return active (not archived) assets of other venues.
/// </summary>
public interface IVenueFederationSource
{
    Task<ImmutableArray<AssetDetails>> GetFederatedAssetsAsync(VenueId venue, CancellationToken cancellationToken = default);
}

/// <summary>No federations yet.</summary>
public sealed class NoVenueFederations : IVenueFederationSource
{
    public Task<ImmutableArray<AssetDetails>> GetFederatedAssetsAsync(VenueId venue, CancellationToken cancellationToken = default) =>
        Task.FromResult(ImmutableArray<AssetDetails>.Empty);
}

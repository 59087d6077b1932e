using TiBillet.Grains.Common;

namespace TiBillet.Grains.Assets;

/// <summary>An asset as its grain knows it. Local assets have an issuing venue; FED has none.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Assets.AssetDetails")]
public sealed record AssetDetails(AssetId Id, AssetKind Kind, string Name, VenueId? IssuingVenue, bool Archived, DateTimeOffset CreatedAt)
{
    /// <summary>The wallet that issues this asset (may go negative).</summary>
    public WalletId MintWallet => WalletId.MintOf(Id);
}

/// <summary>Creates an asset. <see cref="IssuingVenue"/> is required for local kinds and must be null for FED.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Assets.CreateAssetRequest")]
public sealed record CreateAssetRequest(AssetKind Kind, string Name, VenueId? IssuingVenue);

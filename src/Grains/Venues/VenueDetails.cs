using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>A venue: its wallet, its own assets (archived ones included) and its custom spending order (empty = default).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Venues.VenueDetails")]
public sealed record VenueDetails(
    VenueId Id,
    string Name,
    WalletId Wallet,
    ImmutableArray<AssetDetails> Assets,
    ImmutableArray<AssetId> SpendingOrder,
    DateTimeOffset CreatedAt);

/// <summary>Creates a venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Venues.CreateVenueRequest")]
public sealed record CreateVenueRequest(string Name);

/// <summary>Creates a local asset issued by the venue. The caller picks the id (retries with the same id are idempotent).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Venues.AddAssetRequest")]
public sealed record AddAssetRequest(AssetId Id, AssetKind Kind, string Name);

/// <summary>
/// What a payment at a venue needs to know, in one snapshot: the venue wallet, its own assets (archived included, for
/// refunds), the accepted assets (own + federations' + FED, none archived) and the spending order of a sale.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Venues.VenuePaymentProfile")]
public sealed record VenuePaymentProfile(
    VenueId Venue,
    WalletId Wallet,
    ImmutableArray<AssetDetails> Own,
    ImmutableArray<AssetDetails> Accepted,
    ImmutableArray<AssetId> SpendingOrder)
{
    /// <summary>The accepted asset with this id, or null.</summary>
    public AssetDetails? FindAccepted(AssetId id)
    {
        foreach (var a in Accepted)
        {
            if (a.Id == id)
            {
                return a;
            }
        }

        return null;
    }

    /// <summary>The venue's own asset with this id (archived included), or null.</summary>
    public AssetDetails? FindOwn(AssetId id)
    {
        foreach (var a in Own)
        {
            if (a.Id == id)
            {
                return a;
            }
        }

        return null;
    }

    /// <summary>The venue's active own asset of this kind, or null.</summary>
    public AssetDetails? FindOwnActive(AssetKind kind)
    {
        foreach (var a in Own)
        {
            if (a.Kind == kind && !a.Archived)
            {
                return a;
            }
        }

        return null;
    }
}

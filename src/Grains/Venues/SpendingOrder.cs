using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>
/// Which accepted assets a sale spends, and in what order. Default: gift (own TNF, then federated TNF), venue euro
/// (own TLF, then federated TLF), then FED. A venue's custom order puts the listed assets first (time currency or loyalty
/// points may be listed to make them spendable); unlisted euro assets follow in the default order. Memberships and badges
/// are never spent.
/// </summary>
public static class SpendingOrder
{
    public static ImmutableArray<AssetId> Compute(VenueId venue, ImmutableArray<AssetDetails> accepted, ImmutableArray<AssetId> custom)
    {
        var result = ImmutableArray.CreateBuilder<AssetId>();
        if (!custom.IsDefaultOrEmpty)
        {
            foreach (var id in custom)
            {
                var asset = accepted.FirstOrDefault(a => a.Id == id);
                if (asset is not null && IsSpendable(asset.Kind) && !result.Contains(id))
                {
                    result.Add(id);
                }
            }
        }

        foreach (var asset in accepted.Where(a => DefaultRank(venue, a) is not null).OrderBy(a => DefaultRank(venue, a)))
        {
            if (!result.Contains(asset.Id))
            {
                result.Add(asset.Id);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Kinds a venue may list in its custom order.</summary>
    public static bool IsSpendable(AssetKind kind) => kind is AssetKind.TNF or AssetKind.TLF or AssetKind.FED or AssetKind.TIM or AssetKind.FID;

    private static int? DefaultRank(VenueId venue, AssetDetails asset) => asset.Kind switch
    {
        AssetKind.TNF => asset.IssuingVenue == venue ? 0 : 1,
        AssetKind.TLF => asset.IssuingVenue == venue ? 2 : 3,
        AssetKind.FED => 4,
        _ => null,
    };
}

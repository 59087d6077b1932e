using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.Grains.Catalog;

/// <summary>What a category or product may look like; pure checks, testable without a cluster.</summary>
public static class CatalogRules
{
    public const int MaxNameLength = 200;
    public const int MaxPlacements = 100;
    public const int MaxVatRate = 10_000;

    /// <summary>The category, checked and trimmed. BAD_USER_INPUT for a bad name, rate or station.</summary>
    public static SaveCategoryRequest Check(SaveCategoryRequest request)
    {
        RequireId(request.Id, "category");
        var station = request.Station?.Trim();
        if (station is { Length: 0 })
        {
            station = null;
        }

        if (station is { Length: > 100 })
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A station name is at most 100 characters.");
        }

        return request with { Name = Name(request.Name), VatRate = VatRate(request.VatRate), Station = station };
    }

    /// <summary>
    /// The product, checked. BAD_USER_INPUT for a bad name or rate, a membership without its membership product (or a
    /// membership product on another behaviour), a top-up without a TLF, TNF or TIM of the venue, an asset limit on a
    /// behaviour that moves no card money, or bad placements. The grain checks the membership product is the venue's.
    /// </summary>
    public static SaveProductRequest Check(SaveProductRequest request, IReadOnlyCollection<AssetDetails> ownAssets, IReadOnlyCollection<AssetId> accepted)
    {
        RequireId(request.Id, "product");
        RequireId(request.Category, "category");
        if (!Enum.IsDefined(request.Behaviour))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Unknown product behaviour.");
        }

        if ((request.Behaviour == ProductBehaviour.Membership) != (request.MembershipProduct is { } m && m != Guid.Empty))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A membership product names its membership (membershipProductId), and only it does.");
        }

        if (request.Behaviour == ProductBehaviour.TopUp)
        {
            var asset = request.Asset is { } a ? ownAssets.FirstOrDefault(o => o.Id == a) : null;
            if (asset is null || asset.Archived || asset.Kind is not (AssetKind.TLF or AssetKind.TNF or AssetKind.TIM))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A top-up product credits an active TLF, TNF or TIM of this venue.");
            }
        }
        else if (request.Asset is { } limit)
        {
            if (request.Behaviour is not (ProductBehaviour.Sale or ProductBehaviour.FreePrice) || !accepted.Contains(limit))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Only a sale may be limited to an asset, and to one this venue accepts.");
            }
        }

        var placements = request.Placements.IsDefault ? [] : request.Placements;
        if (placements.Length > MaxPlacements)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A product is placed on at most {MaxPlacements} points of sale.");
        }

        var checkedPlacements = ImmutableArray.CreateBuilder<Placement>(placements.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in placements)
        {
            var code = PointOfSaleId.ParseCode(p.PointOfSale);
            if (!seen.Add(code))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A product is placed once per point of sale.");
            }

            if (p.Price < 0 || p.Price > 100_000_000)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A price is 0 to 1,000,000.00.");
            }

            checkedPlacements.Add(p with { PointOfSale = code });
        }

        return request with
        {
            Name = Name(request.Name),
            VatRate = request.VatRate is { } rate ? VatRate(rate) : null,
            Placements = checkedPlacements.MoveToImmutable(),
        };
    }

    /// <summary>A stock level: null (not counted) or any value; BAD_USER_INPUT when negative without permission.</summary>
    public static void CheckStock(long? stock, bool allowNegative)
    {
        if (stock is < 0 && !allowNegative)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "This product's stock may not be negative.");
        }
    }

    private static void RequireId(Guid id, string what)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A {what} id may not be empty.");
        }
    }

    private static string Name(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is 0 or > MaxNameLength
            ? throw new DomainException(ErrorCodes.BadUserInput, $"A name is 1 to {MaxNameLength} characters.")
            : trimmed;
    }

    private static int VatRate(int rate) =>
        rate is < 0 or > MaxVatRate ? throw new DomainException(ErrorCodes.BadUserInput, "A VAT rate is 0 to 10000 basis points.") : rate;
}

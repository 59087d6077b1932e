using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Catalog;

/// <summary>What selling a product does at the till.</summary>
public enum ProductBehaviour : short
{
    /// <summary>An ordinary sale at the till's price.</summary>
    Sale = 0,

    /// <summary>Credits the product's asset (venue euro, gift money or time currency) to the card, paid at the counter.</summary>
    TopUp = 1,

    /// <summary>A membership product of the memberships capability, sold at the till: the sale extends the card holder's membership.</summary>
    Membership = 2,

    /// <summary>A deposit given back (a returned cup): a negative line of the basket.</summary>
    DepositReturn = 3,

    /// <summary>Empties the card of everything refundable here (cash back).</summary>
    EmptyCard = 4,

    /// <summary>A punch-clock badge.</summary>
    Badge = 5,

    /// <summary>A sale whose price the cashier types in.</summary>
    FreePrice = 6,
}

/// <summary>A product category of a venue: its VAT rate in basis points and the station that prepares it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.CategoryDetails")]
public sealed record CategoryDetails(Guid Id, VenueId Venue, string Name, int VatRate, string? Station, bool Archived);

/// <summary>A product shown on one point of sale, at <see cref="Price"/> cents, in <see cref="Position"/> order.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.Placement")]
public sealed record Placement(string PointOfSale, long Price, int Position);

/// <summary>
/// A product. <see cref="MembershipProduct"/>: the membership a Membership product sells. <see cref="VatRate"/> overrides the category's when set; <see cref="Asset"/> limits a sale to that asset, or
/// names the asset a top-up credits; <see cref="Stock"/> is null when not counted.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.ProductDetails")]
public sealed record ProductDetails(
    Guid Id,
    VenueId Venue,
    Guid Category,
    string Name,
    ProductBehaviour Behaviour,
    int? VatRate,
    AssetId? Asset,
    long? Stock,
    bool AllowNegativeStock,
    bool Archived,
    ImmutableArray<Placement> Placements,
    Guid? MembershipProduct = null);

/// <summary>A venue's catalog: its categories and products.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.CatalogDetails")]
public sealed record CatalogDetails(ImmutableArray<CategoryDetails> Categories, ImmutableArray<ProductDetails> Products);

/// <summary>Creates or changes a category (the caller picks the id, so a retry is the same category).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.SaveCategoryRequest")]
public sealed record SaveCategoryRequest(Guid Id, string Name, int VatRate, string? Station);

/// <summary>Creates or changes a product and replaces its placements.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Catalog.SaveProductRequest")]
public sealed record SaveProductRequest(
    Guid Id,
    Guid Category,
    string Name,
    ProductBehaviour Behaviour,
    int? VatRate,
    AssetId? Asset,
    bool AllowNegativeStock,
    ImmutableArray<Placement> Placements,
    Guid? MembershipProduct = null);

/// <summary>
/// A product as one till sells it: its effective VAT rate, its category and station, its price there. What the sale path
/// reads; prices never come from the client.
/// </summary>
public sealed record MenuItem(
    Guid Product,
    string Name,
    ProductBehaviour Behaviour,
    Guid Category,
    string CategoryName,
    string? Station,
    int VatRate,
    AssetId? Asset,
    long Price,
    int Position,
    long? Stock,
    Guid? MembershipProduct = null);

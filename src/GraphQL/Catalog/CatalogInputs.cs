using TiBillet.Grains.Catalog;

namespace TiBillet.GraphQL.Catalog;

/// <summary>The <c>saveCategory</c> mutation's input; without an id, a new category.</summary>
public sealed class SaveCategoryInput
{
    public string VenueId { get; set; } = "";

    public Guid? CategoryId { get; set; }

    public string Name { get; set; } = "";

    public int VatRate { get; set; }

    public string? Station { get; set; }
}

/// <summary>A product's place on one till.</summary>
public sealed class PlacementInput
{
    public string PointOfSaleId { get; set; } = "";

    public long Price { get; set; }

    public int Position { get; set; }
}

/// <summary>The <c>saveProduct</c> mutation's input; without an id, a new product.</summary>
public sealed class SaveProductInput
{
    public string VenueId { get; set; } = "";

    public Guid? ProductId { get; set; }

    public Guid CategoryId { get; set; }

    public string Name { get; set; } = "";

    public ProductBehaviour Behaviour { get; set; }

    public int? VatRate { get; set; }

    public string? AssetId { get; set; }

    public bool AllowNegativeStock { get; set; }

    public List<PlacementInput>? Placements { get; set; }

    public Guid? MembershipProductId { get; set; }
}

/// <summary>The <c>archiveProduct</c> mutation's input.</summary>
public sealed class ArchiveProductInput
{
    public string VenueId { get; set; } = "";

    public Guid ProductId { get; set; }
}

/// <summary>The <c>setProductStock</c> mutation's input; a null stock stops counting.</summary>
public sealed class SetProductStockInput
{
    public string VenueId { get; set; } = "";

    public Guid ProductId { get; set; }

    public long? Stock { get; set; }
}

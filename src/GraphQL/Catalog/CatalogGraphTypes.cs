using GraphQL.Types;
using TiBillet.Grains.Catalog;

namespace TiBillet.GraphQL.Catalog;

public sealed class ProductBehaviourGraphType : EnumerationGraphType<ProductBehaviour>
{
    public ProductBehaviourGraphType() => Name = "ProductBehaviour";
}

public sealed class CategoryGraphType : ObjectGraphType<CategoryDetails>
{
    public CategoryGraphType()
    {
        Name = "Category";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<IntGraphType>>("vatRate").Description("Basis points.").Resolve(c => c.Source.VatRate);
        Field<StringGraphType>("station").Resolve(c => c.Source.Station);
        Field<NonNullGraphType<BooleanGraphType>>("archived").Resolve(c => c.Source.Archived);
    }
}

public sealed class PlacementGraphType : ObjectGraphType<Placement>
{
    public PlacementGraphType()
    {
        Name = "Placement";
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Resolve(c => c.Source.PointOfSale);
        Field<NonNullGraphType<LongGraphType>>("price").Resolve(c => c.Source.Price);
        Field<NonNullGraphType<IntGraphType>>("position").Resolve(c => c.Source.Position);
    }
}

public sealed class ProductGraphType : ObjectGraphType<ProductDetails>
{
    public ProductGraphType()
    {
        Name = "Product";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<GuidGraphType>>("categoryId").Resolve(c => c.Source.Category);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ProductBehaviourGraphType>>("behaviour").Resolve(c => c.Source.Behaviour);
        Field<IntGraphType>("vatRate").Description("The product's own rate, if it overrides its category's.").Resolve(c => c.Source.VatRate);
        Field<IdGraphType>("assetId").Resolve(c => c.Source.Asset?.Value.ToString());
        Field<LongGraphType>("stock").Resolve(c => c.Source.Stock);
        Field<NonNullGraphType<BooleanGraphType>>("allowNegativeStock").Resolve(c => c.Source.AllowNegativeStock);
        Field<NonNullGraphType<BooleanGraphType>>("archived").Resolve(c => c.Source.Archived);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlacementGraphType>>>>("placements").Resolve(c => c.Source.Placements);
        Field<GuidGraphType>("membershipProductId").Description("The membership a MEMBERSHIP product sells.").Resolve(c => c.Source.MembershipProduct);
    }
}

public sealed class CatalogGraphType : ObjectGraphType<CatalogDetails>
{
    public CatalogGraphType()
    {
        Name = "Catalog";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryGraphType>>>>("categories").Resolve(c => c.Source.Categories);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProductGraphType>>>>("products").Resolve(c => c.Source.Products);
    }
}

public sealed class MenuItemGraphType : ObjectGraphType<MenuItem>
{
    public MenuItemGraphType()
    {
        Name = "MenuItem";
        Description = "A product as one till sells it.";
        Field<NonNullGraphType<GuidGraphType>>("productId").Resolve(c => c.Source.Product);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ProductBehaviourGraphType>>("behaviour").Resolve(c => c.Source.Behaviour);
        Field<NonNullGraphType<GuidGraphType>>("categoryId").Resolve(c => c.Source.Category);
        Field<NonNullGraphType<StringGraphType>>("categoryName").Resolve(c => c.Source.CategoryName);
        Field<StringGraphType>("station").Resolve(c => c.Source.Station);
        Field<NonNullGraphType<IntGraphType>>("vatRate").Description("Effective rate, basis points.").Resolve(c => c.Source.VatRate);
        Field<IdGraphType>("assetId").Resolve(c => c.Source.Asset?.Value.ToString());
        Field<NonNullGraphType<LongGraphType>>("price").Description("Cents at this till (0 for a free price).").Resolve(c => c.Source.Price);
        Field<NonNullGraphType<IntGraphType>>("position").Resolve(c => c.Source.Position);
        Field<LongGraphType>("stock").Resolve(c => c.Source.Stock);
    }
}

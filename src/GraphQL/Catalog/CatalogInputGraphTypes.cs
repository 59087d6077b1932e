using GraphQL.Types;
using TiBillet.Grains.Common;

namespace TiBillet.GraphQL.Catalog;

public sealed class SaveCategoryInputGraphType : InputObjectGraphType<SaveCategoryInput>
{
    public SaveCategoryInputGraphType()
    {
        Name = "SaveCategoryInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<GuidGraphType>("categoryId").Description("The category to change; without it, a new one.");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<IntGraphType>>("vatRate").Description("Basis points: 2000 is 20 %.");
        Field<StringGraphType>("station").Description("The preparation station its order lines go to (bar, kitchen).");
    }
}

public sealed class PlacementInputGraphType : InputObjectGraphType<PlacementInput>
{
    public PlacementInputGraphType()
    {
        Name = "PlacementInput";
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId");
        Field<NonNullGraphType<LongGraphType>>("price").Description("Cents at this till.");
        Field<NonNullGraphType<IntGraphType>>("position").Description("Order on this till's screen, smallest first.");
    }
}

public sealed class SaveProductInputGraphType : InputObjectGraphType<SaveProductInput>
{
    public SaveProductInputGraphType()
    {
        Name = "SaveProductInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<GuidGraphType>("productId").Description("The product to change; without it, a new one.");
        Field<NonNullGraphType<GuidGraphType>>("categoryId");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<ProductBehaviourGraphType>>("behaviour");
        Field<IntGraphType>("vatRate").Description("Overrides the category's rate (basis points).");
        Field<IdGraphType>("assetId").Description("A sale: payable only in this asset. A top-up: the asset credited.");
        Field<BooleanGraphType>("allowNegativeStock").Description("Stock may go below zero (default false).");
        Field<ListGraphType<NonNullGraphType<PlacementInputGraphType>>>("placements").Description("The tills that sell it; replaces the earlier list.");
        Field<GuidGraphType>("membershipProductId").Description("A MEMBERSHIP product: the venue's membership product it sells (required for it, refused for others).");
    }
}

public sealed class ArchiveProductInputGraphType : InputObjectGraphType<ArchiveProductInput>
{
    public ArchiveProductInputGraphType()
    {
        Name = "ArchiveProductInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<GuidGraphType>>("productId");
    }
}

public sealed class SetProductStockInputGraphType : InputObjectGraphType<SetProductStockInput>
{
    public SetProductStockInputGraphType()
    {
        Name = "SetProductStockInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<GuidGraphType>>("productId");
        Field<LongGraphType>("stock").Description("Units in stock; null stops counting.");
    }
}

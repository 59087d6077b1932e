using GraphQL.Types;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class CreatePointOfSaleInputGraphType : InputObjectGraphType<CreatePointOfSaleInput>
{
    public CreatePointOfSaleInputGraphType()
    {
        Name = "CreatePointOfSaleInput";
        PointOfSaleInputFields.AddIds(this);
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<PointOfSaleModeGraphType>("mode").Description("SALE (the default) or DOOR.");
    }
}

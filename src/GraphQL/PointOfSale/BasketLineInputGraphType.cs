using GraphQL.Types;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class BasketLineInputGraphType : InputObjectGraphType<BasketLineInput>
{
    public BasketLineInputGraphType()
    {
        Name = "BasketLineInput";
        Field<NonNullGraphType<StringGraphType>>("label");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description("1 to 100000.");
        Field<NonNullGraphType<LongGraphType>>("unitPrice").Description("Cents, 0 or more.");
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.Wallets;

public sealed class SaleLineInputGraphType : InputObjectGraphType<SaleLineInput>
{
    public SaleLineInputGraphType()
    {
        Name = "SaleLineInput";
        Field(x => x.Label);
        Field(x => x.Quantity);
        Field(x => x.UnitPrice, type: typeof(NonNullGraphType<LongGraphType>)).Description("Cents.");
    }
}

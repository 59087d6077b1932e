using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

/// <summary>The one input type for a basket line (see <see cref="Basket"/>).</summary>
public sealed class BasketLineInputGraphType : InputObjectGraphType<BasketLineInput>
{
    public BasketLineInputGraphType()
    {
        Name = "BasketLineInput";
        Field<NonNullGraphType<StringGraphType>>("label").Description($"1 to {Basket.MaxLabelLength} characters, not blank.");
        Field<NonNullGraphType<IntGraphType>>("quantity").Description($"1 to {Basket.MaxQuantity}.");
        Field<NonNullGraphType<LongGraphType>>("unitPrice").Description("Cents, 0 or more.");
    }
}

using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class BasketLineGraphType : ObjectGraphType<SaleLine>
{
    public BasketLineGraphType()
    {
        Name = "BasketLine";
        Field<NonNullGraphType<StringGraphType>>("label").Resolve(c => c.Source.Label);
        Field<NonNullGraphType<IntGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<LongGraphType>>("unitPrice").Description("Cents.").Resolve(c => c.Source.UnitPrice);
    }
}

using GraphQL.Types;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class RequestPaymentInputGraphType : InputObjectGraphType<RequestPaymentInput>
{
    public RequestPaymentInputGraphType()
    {
        Name = "RequestPaymentInput";
        Description = "A basket (lines) or a bare amount: exactly one of the two.";
        PointOfSaleInputFields.AddIds(this);
        Field<ListGraphType<NonNullGraphType<BasketLineInputGraphType>>>("lines");
        Field<LongGraphType>("amount").Description("Cents, for a payment without a basket.");
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class RequestTopUpInputGraphType : InputObjectGraphType<RequestTopUpInput>
{
    public RequestTopUpInputGraphType()
    {
        Name = "RequestTopUpInput";
        PointOfSaleInputFields.AddIds(this);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents to credit, paid at the counter.");
        Field<NonNullGraphType<TopUpMeansGraphType>>("means");
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PointOfSaleEventKindGraphType : EnumerationGraphType<PointOfSaleEventKind>
{
    public PointOfSaleEventKindGraphType()
    {
        Description = "SUBSCRIBED opens every subscription with the current state; the others tell what just happened.";
    }
}

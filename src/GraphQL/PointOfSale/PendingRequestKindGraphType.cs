using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PendingRequestKindGraphType : EnumerationGraphType<PendingRequestKind>
{
    public PendingRequestKindGraphType()
    {
        Description = "What the next customer tap will do.";
    }
}

using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapOutcomeGraphType : EnumerationGraphType<TapOutcome>
{
    public TapOutcomeGraphType()
    {
        Description = "What a tap did. APPROVED, BALANCE, TILL_OPENED, TILL_CLOSED and TOPPED_UP are positive for the card holder.";
    }
}

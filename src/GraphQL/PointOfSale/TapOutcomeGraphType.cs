using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapOutcomeGraphType : EnumerationGraphType<TapOutcome>
{
    public TapOutcomeGraphType()
    {
        Description = "What a tap did. APPROVED, BALANCE, TILL_OPENED, TILL_CLOSED, TOPPED_UP and CHECKED_IN are positive for the card holder. " +
                      "At a door: CHECKED_IN, NO_TICKET, ALREADY_IN, WRONG_DAY, NO_EVENT_RUNNING, ANONYMOUS_CARD.";
    }
}

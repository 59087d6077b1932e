using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PointOfSaleModeGraphType : EnumerationGraphType<PointOfSaleMode>
{
    public PointOfSaleModeGraphType()
    {
        Name = "PointOfSaleMode";
        Description = "What customer taps do at a till: SALE (pay, top up, balance) or DOOR (check the card holder in for the event under way; no money moves).";
    }
}

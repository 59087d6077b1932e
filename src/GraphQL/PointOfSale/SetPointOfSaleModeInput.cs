using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The <c>setPointOfSaleMode</c> mutation's input.</summary>
public sealed record SetPointOfSaleModeInput(string VenueId, string PointOfSaleId, PointOfSaleMode Mode);

public sealed class SetPointOfSaleModeInputGraphType : InputObjectGraphType<SetPointOfSaleModeInput>
{
    public SetPointOfSaleModeInputGraphType()
    {
        Name = "SetPointOfSaleModeInput";
        PointOfSaleInputFields.AddIds(this);
        Field<NonNullGraphType<PointOfSaleModeGraphType>>("mode");
    }
}

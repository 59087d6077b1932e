using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PointOfSaleGraphType : ObjectGraphType<PointOfSaleDetails>
{
    public PointOfSaleGraphType()
    {
        Description = "A till of a venue.";
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Id.Venue.Value);
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Resolve(c => c.Source.Id.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<PointOfSaleModeGraphType>>("mode").Resolve(c => c.Source.Mode);
        Field<NonNullGraphType<BooleanGraphType>>("tillOpen").Resolve(c => c.Source.TillOpen);
        Field<StringGraphType>("cashierCardUid").Description("The cashier card holding the till open.").Resolve(c => c.Source.Cashier?.Value);
        Field<DateTimeOffsetGraphType>("tillOpenedAt").Resolve(c => c.Source.TillOpenedAt);
        Field<PendingRequestGraphType>("pendingRequest").Resolve(c => c.Source.Pending);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.Identity;

public sealed class ViewerGraphType : ObjectGraphType<Viewer>
{
    public ViewerGraphType()
    {
        Name = "Viewer";
        Field(x => x.Kind).Description("STAFF, DEVICE or PARTNER.");
        Field(x => x.UserId, type: typeof(GuidGraphType));
        Field(x => x.IsInstanceAdmin);
        Field(x => x.DeviceId, type: typeof(GuidGraphType));
        Field(x => x.VenueId, nullable: true);
        Field(x => x.PointOfSaleId, nullable: true);
        Field(x => x.PartnerId, type: typeof(GuidGraphType));
    }
}

using GraphQL.Types;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Identity;

public sealed class VenueRoleGraphType : EnumerationGraphType<VenueRole>
{
    public VenueRoleGraphType() => Name = "VenueRole";
}

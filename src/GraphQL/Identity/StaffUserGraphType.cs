using GraphQL.Types;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Identity;

public sealed class StaffUserGraphType : ObjectGraphType<StaffUser>
{
    public StaffUserGraphType()
    {
        Name = "StaffUser";
        Field(x => x.UserId, type: typeof(NonNullGraphType<GuidGraphType>));
        Field(x => x.Email);
        Field(x => x.IsInstanceAdmin);
        Field(x => x.CreatedAt);
    }
}

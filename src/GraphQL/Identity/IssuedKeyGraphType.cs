using GraphQL.Types;
using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Identity;

public sealed class IssuedKeyGraphType : ObjectGraphType<IssuedKey>
{
    public IssuedKeyGraphType()
    {
        Name = "IssuedKey";
        Description = "A new credential. The key is shown this once; only its hash is stored.";
        Field(x => x.Id, type: typeof(NonNullGraphType<GuidGraphType>));
        Field(x => x.Key);
    }
}

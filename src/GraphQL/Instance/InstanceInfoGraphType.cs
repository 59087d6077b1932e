using GraphQL.Types;

namespace TiBillet.GraphQL.Instance;

public sealed class InstanceInfoGraphType : ObjectGraphType<InstanceInfo>
{
    public InstanceInfoGraphType()
    {
        Name = "InstanceInfo";
        Field(x => x.Name);
        Field(x => x.Version);
        Field(x => x.ServerTime);
    }
}

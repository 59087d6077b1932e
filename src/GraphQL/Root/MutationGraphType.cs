using GraphQL.Types;

namespace TiBillet.GraphQL.Root;

/// <summary>The root mutation type; it declares no fields itself.</summary>
public sealed class MutationGraphType : ObjectGraphType
{
    public MutationGraphType(IEnumerable<IMutationFields> capabilities)
    {
        Name = "Mutation";
        foreach (var capability in capabilities)
        {
            capability.AddTo(this);
        }
    }
}

using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;

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

using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Observability;

namespace TiBillet.GraphQL.Root;

/// <summary>The root mutation type; it declares no fields itself (the money fields are metered, see <see cref="ApiMetrics"/>).</summary>
public sealed class MutationGraphType : ObjectGraphType
{
    public MutationGraphType(IEnumerable<IMutationFields> capabilities, ApiMetrics metrics)
    {
        Name = "Mutation";
        foreach (var capability in capabilities)
        {
            capability.AddTo(this);
        }

        metrics.Instrument(this);
    }
}

using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;
namespace TiBillet.GraphQL.Root;

/// <summary>A capability's mutation fields, added at the top level where the spec guarantees serial execution.</summary>
public interface IMutationFields
{
    void AddTo(MutationGraphType mutation);
}

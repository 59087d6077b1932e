using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Root;

/// <summary>The root query type; it declares no fields itself.</summary>
public sealed class QueryGraphType : ObjectGraphType
{
    public QueryGraphType(IEnumerable<IQueryFields> capabilities)
    {
        Name = "Query";
        foreach (var capability in capabilities)
        {
            capability.AddTo(this);
        }
    }
}

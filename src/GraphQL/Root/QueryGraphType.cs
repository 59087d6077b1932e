using GraphQL.Types;

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

using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;
namespace TiBillet.GraphQL.Root;

/// <summary>A capability's query fields; each capability adds its own to the root <c>Query</c> type.</summary>
public interface IQueryFields
{
    void AddTo(QueryGraphType query);
}

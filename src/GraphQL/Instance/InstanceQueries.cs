using GraphQL;
using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Instance;

/// <summary>Public facts about this instance (no sign-in needed).</summary>
public sealed class InstanceQueries(TimeProvider clock) : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<InstanceInfoGraphType>>("instance")
            .Description("This instance's name, API version and clock.")
            .RequirePolicy(Policies.Public)
            .Resolve(_ => new InstanceInfo("TiBillet", typeof(InstanceQueries).Assembly.GetName().Version?.ToString() ?? "0", clock.GetUtcNow()));
    }
}

using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Root;

/// <summary>The one schema, assembled from the capabilities registered in DI.</summary>
public sealed class TiBilletSchema : Schema
{
    public TiBilletSchema(IServiceProvider services, QueryGraphType query, MutationGraphType mutation, SubscriptionGraphType subscription)
        : base(services)
    {
        Query = query;
        // An empty root type is invalid GraphQL; a root appears once a capability gives it fields.
        Mutation = mutation.Fields.Count > 0 ? mutation : null;
        Subscription = subscription.Fields.Count > 0 ? subscription : null;
    }
}

using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Root;

/// <summary>The root subscription type; it declares no fields itself.</summary>
public sealed class SubscriptionGraphType : ObjectGraphType
{
    public SubscriptionGraphType(IEnumerable<ISubscriptionFields> capabilities)
    {
        Name = "Subscription";
        foreach (var capability in capabilities)
        {
            capability.AddTo(this);
        }
    }
}

using GraphQL.Types;

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

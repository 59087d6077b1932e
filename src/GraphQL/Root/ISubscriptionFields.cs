namespace TiBillet.GraphQL.Root;

/// <summary>A capability's subscription fields.</summary>
public interface ISubscriptionFields
{
    void AddTo(SubscriptionGraphType subscription);
}

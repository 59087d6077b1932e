namespace TiBillet.GraphQL.Common;

/// <summary>A capability's subscription fields.</summary>
public interface ISubscriptionFields
{
    void AddTo(SubscriptionGraphType subscription);
}

using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;
namespace TiBillet.GraphQL.Root;

/// <summary>A capability's subscription fields.</summary>
public interface ISubscriptionFields
{
    void AddTo(SubscriptionGraphType subscription);
}

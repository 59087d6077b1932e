using System.Security.Claims;
using GraphQL;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Transport;

/// <summary>
/// How a subscription resolver tells the WebSocket that its authorization must keep holding: it registers the check it
/// made at subscribe time, and the socket re-runs it every <see cref="GraphQLApiOptions.WebSocketRecheckInterval"/> with
/// the caller's freshly authenticated principal, closing the socket (4403) once it throws. Over HTTP it does nothing.
/// </summary>
public static class SubscriptionRechecks
{
    internal const string Key = "tibillet.rechecks";

    /// <summary>A check: throws (FORBIDDEN) when <c>user</c> may no longer follow the stream.</summary>
    public delegate Task Check(ClaimsPrincipal user, IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="check"/> for the socket that runs this operation, if any.</summary>
    public static void RecheckWhileOpen(this IResolveFieldContext context, Check check)
    {
        if (context.UserContext.TryGetValue(Key, out var list) && list is List<Check> checks)
        {
            lock (checks)
            {
                checks.Add(check);
            }
        }
    }
}

using System.Security.Claims;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Root;

/// <summary>What resolvers need from their context, written once: services, the caller, venue authorization.</summary>
public static class ResolveContextExtensions
{
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();

    public static ClaimsPrincipal Caller(this IResolveFieldContext context) => context.User ?? new ClaimsPrincipal();

    /// <summary>Throws FORBIDDEN/UNAUTHENTICATED unless the caller is staff with at least <paramref name="minimum"/> at the venue.</summary>
    public static Task RequireVenueRoleAsync(this IResolveFieldContext context, VenueId venue, VenueRole minimum) =>
        context.Service<VenueAccess>().RequireAsync(context.Caller(), venue.Value, minimum, context.CancellationToken);

    /// <summary>
    /// Counter operations (sales, top-ups, badges) need a venue CASHIER. A device never calls them: devices move money
    /// only through a tap at their own open till (the <c>tap</c> mutation), and those fields' Staff policy refuses them.
    /// </summary>
    public static Task RequireCounterAsync(this IResolveFieldContext context, VenueId venue) =>
        context.RequireVenueRoleAsync(venue, VenueRole.Cashier);

    /// <summary>Throws FORBIDDEN unless the caller is the instance admin.</summary>
    public static void RequireInstanceAdmin(this IResolveFieldContext context)
    {
        if (!context.Caller().IsInstanceAdmin())
        {
            throw new DomainException(ErrorCodes.Forbidden, "Only the instance admin may do this.");
        }
    }
}

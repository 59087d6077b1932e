using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Orders;

namespace TiBillet.GraphQL.Orders;

/// <summary>Live preparation station screens (bar, kitchen…), over graphql-transport-ws.</summary>
public sealed class OrderSubscriptions : ISubscriptionFields
{
    public const int MaxStationLength = 100;

    public void AddTo(SubscriptionGraphType subscription) =>
        subscription.Field<NonNullGraphType<StationEventGraphType>, StationEvent>("preparationStationEvents")
            .Description("A preparation station's feed: first SUBSCRIBED with the lines it has to do now, then every line sent, prepared, served, "
                         + "voided or moved (venue VIEWER, or a device of the venue). The station is named as the catalog's categories name it.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("station")
            .RequirePolicy(Policies.Authenticated)
            .ResolveStreamAsync(async context =>
            {
                var venue = VenueId.Parse(context.GetArgument<string>("venueId"));
                var station = context.GetArgument<string>("station").Trim();
                if (station.Length is 0 or > MaxStationLength)
                {
                    throw new DomainException(ErrorCodes.BadUserInput, $"A station is 1 to {MaxStationLength} characters.");
                }

                await StationAccess.RequireAsync(context.Caller(), context.RequestServices!, venue, context.CancellationToken);
                context.RecheckWhileOpen((user, services, ct) => StationAccess.RequireAsync(user, services, venue, ct));
                return await context.RequestServices!.GetRequiredService<StationEventHub>().WatchAsync(venue, station, context.CancellationToken);
            });
}

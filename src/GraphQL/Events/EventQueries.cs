using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;

namespace TiBillet.GraphQL.Events;

/// <summary>The public agenda, one event, and a venue's own events.</summary>
public sealed class EventQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<AgendaPageGraphType>>("agenda")
            .Description("Published public events of every venue by start time (anonymous), filtered by start range, tags, venue and text, paged by cursor. " +
                         "Answered by SQL over the events table. BAD_USER_INPUT for first outside 1..100 or a malformed cursor.")
            .Argument<IntGraphType>("first", "1 to 100 (default 20).")
            .Argument<StringGraphType>("after", "The endCursor of the previous page.")
            .Argument<AgendaFilterInputGraphType>("filter")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c => await c.Service<AgendaQueries>().PageAsync(
                c.GetArgument<AgendaFilterInput?>("filter").ToFilter(), c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken));

        query.Field<EventGraphType>("event")
            .Description("One event: published ones (private included, for whoever has the id) for anyone; drafts, cancelled and archived ones for its venue's staff. Null otherwise.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var details = await c.Grains().GetEvent(EventId.Parse(c.GetArgument<string>("id"))).FindAsync(c.CancellationToken);
                if (details is null || details.State == EventState.Published)
                {
                    return details;
                }

                try
                {
                    await c.RequireVenueRoleAsync(details.Venue, VenueRole.Viewer);
                    return details;
                }
                catch (DomainException)
                {
                    return null;
                }
            });

        query.Field<NonNullGraphType<AgendaPageGraphType>>("venueEvents")
            .Description("Every event of a venue, in every state, by start time (venue VIEWER).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<IntGraphType>("first", "1 to 100 (default 20).")
            .Argument<StringGraphType>("after")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Viewer);
                return await c.Service<AgendaQueries>().VenuePageAsync(venue, c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken);
            });
    }
}

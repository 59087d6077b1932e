using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Venues;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;

namespace TiBillet.GraphQL.Events;

/// <summary>A venue admin's events: create, edit, publish, cancel, archive. Rights stop at the venue.</summary>
public sealed class EventMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<EventGraphType>>("createEvent")
            .Description("Creates a draft event at the venue (venue ADMIN). BAD_USER_INPUT for a malformed definition (time zone, prices, capacity…).")
            .Argument<NonNullGraphType<CreateEventInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateEventInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                await RequireVenueExistsAsync(c, venue);
                return await c.Grains().GetEvent(EventId.New()).CreateAsync(venue, input.ToDefinition(), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<EventGraphType>>("updateEvent")
            .Description("Replaces an event's definition (venue ADMIN of its venue). CONFLICT once cancelled or archived, or when the capacity or a stock would go below the seats taken.")
            .Argument<NonNullGraphType<UpdateEventInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpdateEventInput>("input");
                var grain = await AdministeredEventAsync(c, input.EventId);
                return await grain.UpdateAsync(input.ToDefinition(), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<EventGraphType>>("publishEvent")
            .Description("Publishes a draft (venue ADMIN): on the agenda unless private, open for reservations. Idempotent.")
            .Argument<NonNullGraphType<EventActionInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c => await (await AdministeredEventAsync(c, c.GetArgument<EventActionInput>("input").EventId)).PublishAsync(c.CancellationToken));

        mutation.Field<NonNullGraphType<EventGraphType>>("cancelEvent")
            .Description("Cancels an event (venue ADMIN): every reservation is cancelled and what was paid goes back to the paying wallet by a ledger refund. Idempotent; a retry finishes an interrupted one.")
            .Argument<NonNullGraphType<EventActionInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c => await (await AdministeredEventAsync(c, c.GetArgument<EventActionInput>("input").EventId)).CancelAsync(c.CancellationToken));

        mutation.Field<NonNullGraphType<EventGraphType>>("archiveEvent")
            .Description("Archives an event (venue ADMIN): read only from then on. Idempotent.")
            .Argument<NonNullGraphType<EventActionInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c => await (await AdministeredEventAsync(c, c.GetArgument<EventActionInput>("input").EventId)).ArchiveAsync(c.CancellationToken));
    }

    /// <summary>The event's grain once the caller is proven ADMIN of its venue. NOT_FOUND for an unknown event.</summary>
    private static async Task<IEventGrain> AdministeredEventAsync(IResolveFieldContext c, string id)
    {
        var grain = c.Grains().GetEvent(EventId.Parse(id));
        var details = await grain.FindAsync(c.CancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");
        await c.RequireVenueRoleAsync(details.Venue, VenueRole.Admin);
        return grain;
    }

    // NOT_FOUND for a venue never created (the instance admin holds every role, even there).
    private static Task RequireVenueExistsAsync(IResolveFieldContext c, VenueId venue) => c.Grains().GetVenue(venue).GetDetailsAsync(c.CancellationToken);
}

using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;

namespace TiBillet.GraphQL.Reservations;

/// <summary>Reading one reservation: its customer, or the event's venue staff.</summary>
public sealed class ReservationQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<ReservationGraphType>("reservation")
            .Description("A reservation with its tickets: the signed-in customer's own, or any of the event's for its venue's staff (VIEWER). Null when not found.")
            .Argument<NonNullGraphType<IdGraphType>>("eventId")
            .Argument<NonNullGraphType<IdGraphType>>("reservationId")
            .RequirePolicy(Policies.StaffOrCustomer)
            .ResolveAsync(async c =>
            {
                var grain = c.Grains().GetEvent(EventId.Parse(c.GetArgument<string>("eventId")));
                var id = ReservationMutations.ParseId(c.GetArgument<string>("reservationId"));
                var customer = c.Caller().CustomerEmail();
                if (customer is null)
                {
                    var details = await grain.FindAsync(c.CancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");
                    await c.RequireVenueRoleAsync(details.Venue, VenueRole.Viewer);
                }

                return await grain.FindReservationAsync(id, customer, c.CancellationToken);
            });
    }
}

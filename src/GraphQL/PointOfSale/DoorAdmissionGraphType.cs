using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class DoorAdmissionGraphType : ObjectGraphType<DoorAdmission>
{
    public DoorAdmissionGraphType()
    {
        Name = "DoorAdmission";
        Description = "What a tap at a door found: the event and ticket let in (CHECKED_IN), the last scan (ALREADY_IN), or the event the ticket is for (WRONG_DAY).";
        Field<IdGraphType>("eventId").Resolve(c => c.Source.Event?.Value);
        Field<StringGraphType>("eventTitle").Resolve(c => c.Source.EventTitle);
        Field<DateTimeOffsetGraphType>("eventStartsAt").Resolve(c => c.Source.EventStartsAt);
        Field<IdGraphType>("ticketId").Description("The ticket scanned (CHECKED_IN) or scanned last (ALREADY_IN).").Resolve(c => c.Source.Ticket);
        Field<StringGraphType>("holderName").Description("The ticket's holder name, for nominative tickets.").Resolve(c => c.Source.HolderName);
        Field<NonNullGraphType<IntGraphType>>("remaining")
            .Description("The holder's tickets for this event still to let in after this tap (each tap lets one person in).")
            .Resolve(c => c.Source.Remaining);
        Field<DateTimeOffsetGraphType>("checkedInAt").Resolve(c => c.Source.CheckedInAt);
        Field<StringGraphType>("checkedInBy").Description("Who scanned it: the cashier card holding the door open, or a staff user.").Resolve(c => c.Source.CheckedInBy);
        Field<StringGraphType>("checkedInWhere").Description("Where: the door's name and reader.").Resolve(c => c.Source.CheckedInWhere);
    }
}

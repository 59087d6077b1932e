using GraphQL.Types;
using TiBillet.Grains.Reservations;

namespace TiBillet.GraphQL.Reservations;

public sealed class ReservationStateGraphType : EnumerationGraphType<ReservationState>
{
    public ReservationStateGraphType() => Name = "ReservationState";
}

public sealed class ReservedSeatGraphType : ObjectGraphType<ReservedSeat>
{
    public ReservedSeatGraphType()
    {
        Name = "ReservedSeat";
        Field<NonNullGraphType<IdGraphType>>("priceId").Resolve(c => c.Source.PriceId);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
        Field<StringGraphType>("holderName").Resolve(c => c.Source.HolderName);
    }
}

public sealed class TicketGraphType : ObjectGraphType<TicketSummary>
{
    public TicketGraphType()
    {
        Name = "Ticket";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("priceId").Resolve(c => c.Source.PriceId);
        Field<StringGraphType>("holderName").Resolve(c => c.Source.HolderName);
        Field<NonNullGraphType<StringGraphType>>("code").Description("Signed by the venue's key (ECDSA P-256); its QR image is GET /tickets/{code}.svg or .png.").Resolve(c => c.Source.Code);
        Field<NonNullGraphType<StringGraphType>>("qrSvgPath").Resolve(c => "/tickets/" + c.Source.Code + ".svg");
        Field<NonNullGraphType<BooleanGraphType>>("cancelled").Resolve(c => c.Source.Cancelled);
        Field<DateTimeOffsetGraphType>("checkedInAt").Resolve(c => c.Source.CheckedInAt);
    }
}

public sealed class ReservationGraphType : ObjectGraphType<Reservation>
{
    public ReservationGraphType()
    {
        Name = "Reservation";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("eventId").Resolve(c => c.Source.Event.ToString());
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<StringGraphType>>("customer").Description("The customer's e-mail.").Resolve(c => c.Source.Customer.Value);
        Field<NonNullGraphType<ReservationStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReservedSeatGraphType>>>>("seats").Resolve(c => c.Source.Seats);
        Field<NonNullGraphType<LongGraphType>>("total").Description("Cents.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("heldUntil").Description("A held reservation's seats are freed at this instant unless it is confirmed.").Resolve(c => c.Source.HeldUntil);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TicketGraphType>>>>("tickets").Description("Once confirmed.").Resolve(c => c.Source.Tickets);
        Field<NonNullGraphType<BooleanGraphType>>("refunded").Description("Cancelled after payment, or expired with a payment that came too late: the money went back the way it came (the paying wallet, or the card through Stripe).").Resolve(c => c.Source.Refunded);
        Field<StringGraphType>("checkoutSessionId").Description("The Stripe Checkout Session that paid it, when paid online by card.").Resolve(c => c.Source.CheckoutSession);
    }
}

public sealed class CheckInOutcomeGraphType : EnumerationGraphType<CheckInOutcome>
{
    public CheckInOutcomeGraphType() => Name = "CheckInOutcome";
}

public sealed class CheckInResultGraphType : ObjectGraphType<CheckInResult>
{
    public CheckInResultGraphType()
    {
        Name = "CheckInResult";
        Field<NonNullGraphType<CheckInOutcomeGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field<IdGraphType>("ticketId").Resolve(c => c.Source.Ticket);
        Field<StringGraphType>("holderName").Resolve(c => c.Source.HolderName);
        Field<DateTimeOffsetGraphType>("checkedInAt").Description("When it was checked in (this scan, or the first one).").Resolve(c => c.Source.CheckedInAt);
        Field<StringGraphType>("checkedInBy").Resolve(c => c.Source.CheckedInBy);
        Field<StringGraphType>("checkedInWhere").Resolve(c => c.Source.CheckedInWhere);
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.Reservations;

public sealed record SeatInput(string PriceId, long? Amount, string? HolderName);

/// <summary>The <c>reserve</c> mutation's input.</summary>
public sealed record ReserveInput(string EventId, string IdempotencyKey, List<SeatInput> Seats);

/// <summary>Names one reservation of an event (confirm online, cancel).</summary>
public sealed record ReservationRefInput(string EventId, string ReservationId);

/// <summary>The <c>confirmReservationAtCounter</c> mutation's input.</summary>
public sealed record CounterConfirmInput(string EventId, string ReservationId, string CashierUid, string CardUid);

/// <summary>The <c>confirmFreeReservation</c> mutation's input: what the e-mailed link carries.</summary>
public sealed record FreeConfirmInput(string ReservationId, string Token);

public sealed class SeatInputGraphType : InputObjectGraphType<SeatInput>
{
    public SeatInputGraphType()
    {
        Name = "SeatInput";
        Field<NonNullGraphType<IdGraphType>>("priceId");
        Field<LongGraphType>("amount").Description("Cents chosen for a pay-what-you-want price (default: its minimum).");
        Field<StringGraphType>("holderName").Description("Required when the event is nominative.");
    }
}

public sealed class ReserveInputGraphType : InputObjectGraphType<ReserveInput>
{
    public ReserveInputGraphType()
    {
        Name = "ReserveInput";
        Field<NonNullGraphType<IdGraphType>>("eventId");
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Per customer: the same key returns the first reservation.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SeatInputGraphType>>>>("seats").Description("1 to 50 seats.");
    }
}

public sealed class ReservationRefInputGraphType : InputObjectGraphType<ReservationRefInput>
{
    public ReservationRefInputGraphType()
    {
        Name = "ReservationRefInput";
        Field<NonNullGraphType<IdGraphType>>("eventId");
        Field<NonNullGraphType<IdGraphType>>("reservationId");
    }
}

public sealed class CounterConfirmInputGraphType : InputObjectGraphType<CounterConfirmInput>
{
    public CounterConfirmInputGraphType()
    {
        Name = "CounterConfirmInput";
        Field<NonNullGraphType<IdGraphType>>("eventId");
        Field<NonNullGraphType<IdGraphType>>("reservationId");
        Field<NonNullGraphType<StringGraphType>>("cashierUid").Description("A cashier card of the event's venue.");
        Field<NonNullGraphType<StringGraphType>>("cardUid").Description("The card that pays, present at the counter.");
    }
}

public sealed class FreeConfirmInputGraphType : InputObjectGraphType<FreeConfirmInput>
{
    public FreeConfirmInputGraphType()
    {
        Name = "FreeConfirmInput";
        Field<NonNullGraphType<IdGraphType>>("reservationId");
        Field<NonNullGraphType<StringGraphType>>("token").Description("The token of the e-mailed link.");
    }
}

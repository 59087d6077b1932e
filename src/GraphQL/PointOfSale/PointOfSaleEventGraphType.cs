using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PointOfSaleEventGraphType : ObjectGraphType<PointOfSaleEvent>
{
    public PointOfSaleEventGraphType()
    {
        Description = "Something that happened at a point of sale, with the point of sale just after it.";
        Field<NonNullGraphType<PointOfSaleEventKindGraphType>>("kind").Resolve(c => KindOf(c.Source));
        Field<NonNullGraphType<PointOfSaleGraphType>>("pointOfSale").Resolve(c => c.Source.PointOfSale);
        Field<TapResultGraphType>("tap").Description("TAP_HANDLED: the tap's result.").Resolve(c => (c.Source as TapHandled)?.Result);
        Field<PendingRequestGraphType>("request").Description("PAYMENT_REQUESTED, TOP_UP_REQUESTED, REQUEST_CANCELLED: the request.")
            .Resolve(c => c.Source switch
            {
                PaymentRequested e => e.Request,
                TopUpRequested e => e.Request,
                PendingRequestCancelled e => e.Request,
                _ => null,
            });
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
    }

    private static PointOfSaleEventKind KindOf(PointOfSaleEvent pointOfSaleEvent) => pointOfSaleEvent switch
    {
        TapHandled => PointOfSaleEventKind.TapHandled,
        PaymentRequested => PointOfSaleEventKind.PaymentRequested,
        TopUpRequested => PointOfSaleEventKind.TopUpRequested,
        PendingRequestCancelled => PointOfSaleEventKind.RequestCancelled,
        PointOfSaleModeChanged => PointOfSaleEventKind.ModeChanged,
        _ => PointOfSaleEventKind.Subscribed,
    };
}

using GraphQL.Types;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class PendingRequestGraphType : ObjectGraphType<PendingRequest>
{
    public PendingRequestGraphType()
    {
        Description = "The request the next customer tap serves.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<PendingRequestKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<BasketLineGraphType>>>>("lines")
            .Description("The basket of a payment; empty for a top-up.")
            .Resolve(c => c.Source.Lines.IsDefault ? [] : c.Source.Lines);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents to pay or to credit.").Resolve(c => c.Source.Amount);
        Field<TopUpMeansGraphType>("means").Description("How a top-up was paid; null for a payment.")
            .Resolve(c => c.Source.Means is PaymentMeans.None ? null : c.Source.Means);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("requestedAt").Resolve(c => c.Source.RequestedAt);
        Field<GuidGraphType>("orderId").Description("The order this payment pays (requestOrderPayment); null otherwise.").Resolve(c => c.Source.Order?.Order);
        Field<IdGraphType>("tableId").Description("The table of that order; null for a takeaway ticket or a plain payment.").Resolve(c => c.Source.Order?.Table);
        Field<ListGraphType<NonNullGraphType<GuidGraphType>>>("orderLineIds")
            .Description("The order lines the tap pays (fixed when requested); empty for a share; null for a plain payment.")
            .Resolve(c => c.Source.Order is { } o ? (o.Lines.IsDefault ? [] : o.Lines) : (IEnumerable<Guid>?)null);
        Field<IntGraphType>("shares").Description("An equal split's share count, when the tap pays the next share of the order.").Resolve(c => c.Source.Order?.Shares);
    }
}

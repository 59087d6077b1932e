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
    }
}

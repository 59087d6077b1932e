using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class PaymentResultGraphType : ObjectGraphType<PaymentResult>
{
    public PaymentResultGraphType()
    {
        Name = "PaymentResult";
        Description = "Approved: the movements are committed. Declined: nothing was written; reason and shortfall say why.";
        Field(x => x.Approved);
        Field<NonNullGraphType<DeclineReasonGraphType>>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<LongGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<LongGraphType>>("paidByCard").Resolve(c => c.Source.PaidByCard);
        Field<NonNullGraphType<LongGraphType>>("paidByComplementCard").Description("Cents the second card paid.").Resolve(c => c.Source.PaidByComplementCard);
        Field<NonNullGraphType<LongGraphType>>("paidExternally").Description("Cents collected at the counter, in cash or by bank card.").Resolve(c => c.Source.PaidExternally);
        Field<NonNullGraphType<PaymentMeansGraphType>>("externalMeans").Description("How the part beyond the card was paid: SECOND_CARD, CASH or BANK_CARD; NONE when the card paid it all.").Resolve(c => c.Source.ExternalMeans);
        Field<NonNullGraphType<LongGraphType>>("shortfall").Resolve(c => c.Source.Shortfall);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetMovementGraphType>>>>("movements").Resolve(c => c.Source.Movements);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetBalanceGraphType>>>>("balances").Resolve(c => c.Source.Balances);
        Field<IdGraphType>("operationId").Resolve(c => c.Source.OperationId?.ToString());
        Field(x => x.At);
    }
}

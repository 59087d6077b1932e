using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class RefundResultGraphType : ObjectGraphType<RefundResult>
{
    public RefundResultGraphType()
    {
        Name = "RefundResult";
        Field(x => x.Approved);
        Field<NonNullGraphType<DeclineReasonGraphType>>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<LongGraphType>>("cashReturned").Resolve(c => c.Source.CashReturned);
        Field<NonNullGraphType<LongGraphType>>("burned").Resolve(c => c.Source.Burned);
        Field<NonNullGraphType<LongGraphType>>("owedToVenue").Resolve(c => c.Source.OwedToVenue);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetMovementGraphType>>>>("movements").Resolve(c => c.Source.Movements);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetBalanceGraphType>>>>("balances").Resolve(c => c.Source.Balances);
        Field<IdGraphType>("operationId").Resolve(c => c.Source.OperationId?.ToString());
        Field(x => x.At);
    }
}

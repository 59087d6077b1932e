using GraphQL.Types;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Ledger;

namespace TiBillet.GraphQL.Wallets;

public sealed class MovementResultGraphType : ObjectGraphType<MovementResult>
{
    public MovementResultGraphType()
    {
        Name = "MovementResult";
        Field(x => x.Approved);
        Field<NonNullGraphType<DeclineReasonGraphType>>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<TransactionKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetMovementGraphType>>>>("movements").Resolve(c => c.Source.Movements);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetBalanceGraphType>>>>("balances").Resolve(c => c.Source.Balances);
        Field<IdGraphType>("operationId").Resolve(c => c.Source.OperationId?.ToString());
        Field(x => x.At);
    }
}

using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Ledger;

public sealed class LedgerVerificationGraphType : ObjectGraphType<LedgerVerification>
{
    public LedgerVerificationGraphType()
    {
        Name = "LedgerVerification";
        Description = "Every hash chain and every balance recomputed from the transactions.";
        Field(x => x.Clean);
        Field(x => x.Chains);
        Field<NonNullGraphType<LongGraphType>>("links").Resolve(c => c.Source.Links);
        Field<NonNullGraphType<LongGraphType>>("transactions").Resolve(c => c.Source.Transactions);
        Field<NonNullGraphType<LongGraphType>>("balanceRows").Resolve(c => c.Source.BalanceRows);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LedgerMismatchGraphType>>>>("mismatches").Resolve(c => c.Source.Mismatches);
    }
}

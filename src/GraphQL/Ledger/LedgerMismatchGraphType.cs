using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Ledger;

public sealed class LedgerMismatchGraphType : ObjectGraphType<LedgerMismatch>
{
    public LedgerMismatchGraphType()
    {
        Name = "LedgerMismatch";
        Field(x => x.Kind);
        Field(x => x.Detail);
    }
}

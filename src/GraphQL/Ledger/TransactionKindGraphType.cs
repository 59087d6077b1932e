using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Ledger;

public sealed class TransactionKindGraphType : EnumerationGraphType<TransactionKind>
{
    public TransactionKindGraphType() => Name = "TransactionKind";
}

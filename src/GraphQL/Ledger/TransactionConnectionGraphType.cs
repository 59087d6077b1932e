using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Ledger;

public sealed class TransactionConnectionGraphType : ObjectGraphType<HistoryPage>
{
    public TransactionConnectionGraphType()
    {
        Name = "TransactionConnection";
        Description = "A page of history, newest first. Pass endCursor as 'after' for the next page.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TransactionGraphType>>>>("items").Resolve(c => c.Source.Items);
        Field(x => x.EndCursor, nullable: true);
        Field(x => x.HasNextPage);
    }
}

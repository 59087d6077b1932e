using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Ledger;

public sealed class TransactionGraphType : ObjectGraphType<LedgerTransaction>
{
    public TransactionGraphType()
    {
        Name = "Transaction";
        Description = "One immutable double-entry movement.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IdGraphType>>("operationId").Description("The operation (one idempotency key) this movement belongs to.").Resolve(c => c.Source.OperationId.ToString());
        Field<NonNullGraphType<TransactionKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Asset.ToString());
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<IdGraphType>>("fromWalletId").Resolve(c => c.Source.From.ToString());
        Field<NonNullGraphType<IdGraphType>>("toWalletId").Resolve(c => c.Source.To.ToString());
        Field<IdGraphType>("venueId").Resolve(c => c.Source.Venue?.Value);
        Field<StringGraphType>("cardUid").Resolve(c => c.Source.Card?.Value);
        Field(x => x.At);
    }
}

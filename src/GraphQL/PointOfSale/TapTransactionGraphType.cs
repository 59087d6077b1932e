using GraphQL.Types;
using TiBillet.Grains.PointOfSale;
using TiBillet.GraphQL.Ledger;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapTransactionGraphType : ObjectGraphType<TapTransaction>
{
    public TapTransactionGraphType()
    {
        Description = "One of the tapped card's last movements.";
        Field<NonNullGraphType<TransactionKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("asset").Description("The asset's name.").Resolve(c => c.Source.AssetName);
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Asset.Value);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents, negative when money left the card.").Resolve(c => c.Source.Amount);
        Field<IdGraphType>("venueId").Resolve(c => c.Source.Venue?.Value);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
    }
}

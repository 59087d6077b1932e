using GraphQL.Types;
using TiBillet.Grains.PointOfSale;
using TiBillet.GraphQL.Assets;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapBalanceGraphType : ObjectGraphType<TapBalance>
{
    public TapBalanceGraphType()
    {
        Description = "A balance of the tapped card, among the assets the venue accepts.";
        Field<NonNullGraphType<StringGraphType>>("asset").Description("The asset's name, as the venue shows it.").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Asset.Value);
        Field<NonNullGraphType<AssetKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
    }
}

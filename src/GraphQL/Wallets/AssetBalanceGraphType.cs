using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class AssetBalanceGraphType : ObjectGraphType<AssetBalance>
{
    public AssetBalanceGraphType()
    {
        Name = "AssetBalance";
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Asset.ToString());
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
    }
}

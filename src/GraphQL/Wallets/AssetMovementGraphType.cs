using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class AssetMovementGraphType : ObjectGraphType<AssetMovement>
{
    public AssetMovementGraphType()
    {
        Name = "AssetMovement";
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Asset.ToString());
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<IdGraphType>>("fromWalletId").Resolve(c => c.Source.From.ToString());
        Field<NonNullGraphType<IdGraphType>>("toWalletId").Resolve(c => c.Source.To.ToString());
    }
}

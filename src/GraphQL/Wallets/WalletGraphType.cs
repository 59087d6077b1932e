using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class WalletGraphType : ObjectGraphType<WalletDetails>
{
    public WalletGraphType()
    {
        Name = "Wallet";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<WalletKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetBalanceGraphType>>>>("balances").Resolve(c => c.Source.Balances);
    }
}

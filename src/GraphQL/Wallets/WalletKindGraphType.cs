using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Wallets;

public sealed class WalletKindGraphType : EnumerationGraphType<WalletKind>
{
    public WalletKindGraphType() => Name = "WalletKind";
}

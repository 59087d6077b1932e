using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

public static class WalletGrainFactoryExtensions
{
    public static IWalletGrain GetWallet(this IGrainFactory grains, WalletId id) => grains.GetGrain<IWalletGrain>(id.Value);
}

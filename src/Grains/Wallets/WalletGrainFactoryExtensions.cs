using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

public static class WalletGrainFactoryExtensions
{
    public static IWalletGrain GetWallet(this IGrainFactory grains, WalletId id) =>
        GrainReferences<IWalletGrain>.Get(grains, GrainIdKeyExtensions.CreateGuidKey(id.Value), static g => g.GetGrain<IWalletGrain>(Guid.Empty));
}

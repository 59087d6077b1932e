using TiBillet.Grains.Common;

namespace TiBillet.Grains.Assets;

public static class AssetGrainFactoryExtensions
{
    public static IAssetGrain GetAsset(this IGrainFactory grains, AssetId id) => grains.GetGrain<IAssetGrain>(id.Value);
}

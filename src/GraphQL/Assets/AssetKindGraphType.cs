using GraphQL.Types;
using TiBillet.Grains.Assets;

namespace TiBillet.GraphQL.Assets;

public sealed class AssetKindGraphType : EnumerationGraphType<AssetKind>
{
    public AssetKindGraphType()
    {
        Name = "AssetKind";
        Description = "FED network euro; TLF venue euro; TNF gift money; TIM time currency; FID loyalty; SUB membership; BDG badge.";
    }
}

namespace TiBillet.Grains.Assets;

/// <summary>Stored state of an <see cref="AssetGrain"/>: null details until created.</summary>
[GenerateSerializer, Alias("TiBillet.Grains.Assets.AssetState")]
public sealed class AssetState
{
    [Id(0)]
    public AssetDetails? Details { get; set; }
}

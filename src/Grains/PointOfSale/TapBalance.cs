using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

/// <summary>A balance shown after a tap, named as the venue shows it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TapBalance")]
public sealed record TapBalance(AssetId Asset, string Name, AssetKind Kind, long Amount);

namespace TiBillet.Grains.PointOfSale;

/// <summary>Creates a point of sale at its venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.CreatePointOfSaleRequest")]
public sealed record CreatePointOfSaleRequest(string Name, PointOfSaleMode Mode = PointOfSaleMode.Sale);

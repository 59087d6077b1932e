namespace TiBillet.Grains.PointOfSale;

public static class PointOfSaleGrainFactoryExtensions
{
    public static IPointOfSaleGrain GetPointOfSale(this IGrainFactory grains, PointOfSaleId id) => grains.GetGrain<IPointOfSaleGrain>(id.Key);
}

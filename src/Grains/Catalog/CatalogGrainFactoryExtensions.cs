using TiBillet.Grains.Common;

namespace TiBillet.Grains.Catalog;

public static class CatalogGrainFactoryExtensions
{
    public static ICatalogGrain GetCatalog(this IGrainFactory grains, VenueId venue) => grains.GetGrain<ICatalogGrain>(venue.Value);
}

using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

public static class VenueGrainFactoryExtensions
{
    public static IVenueGrain GetVenue(this IGrainFactory grains, VenueId id) => grains.GetGrain<IVenueGrain>(id.Value);
}

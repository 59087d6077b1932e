using TiBillet.Grains.Common;

namespace TiBillet.Grains.Closures;

public static class TillDayGrainFactoryExtensions
{
    public static ITillDayGrain GetTillDay(this IGrainFactory grains, VenueId venue) => grains.GetGrain<ITillDayGrain>(venue.Value);
}

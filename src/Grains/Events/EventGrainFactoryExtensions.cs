namespace TiBillet.Grains.Events;

public static class EventGrainFactoryExtensions
{
    public static IEventGrain GetEvent(this IGrainFactory grains, EventId id) => grains.GetGrain<IEventGrain>(id.Value);
}

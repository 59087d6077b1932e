using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using EventId = TiBillet.Grains.Events.EventId;

namespace TiBillet.Silo.Hosting;

/// <summary>
/// The demo venue's events, with fixed ids so the README can name them: a concert tonight (paid, with a free guest price),
/// a free workshop in three days and a pay-what-you-want benefit in ten. Made once: an event that exists is left as it is.
/// </summary>
public static class DemoEvents
{
    public static readonly EventId Concert = new(Guid.Parse("0193e000-0000-7000-8000-000000000001"));
    public static readonly EventId Workshop = new(Guid.Parse("0193e000-0000-7000-8000-000000000002"));
    public static readonly EventId Benefit = new(Guid.Parse("0193e000-0000-7000-8000-000000000003"));

    public static async Task SeedAsync(IGrainFactory grains, VenueId venue, CancellationToken cancellationToken)
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, paris).Date;
        DateTimeOffset At(int days, int hour) => new DateTimeOffset(today.AddDays(days).AddHours(hour), paris.GetUtcOffset(today.AddDays(days).AddHours(hour))).ToUniversalTime();

        await EnsureAsync(grains, Concert, venue, new EventDefinition("Jazz au Bar Commun", "Un quartet de jazz manouche, entrée par le bar.", At(0, 20), At(0, 23),
            "Europe/Paris", ["jazz", "concert"], null, 80, false, false,
            [new EventPrice("full", "Plein tarif", PriceKind.Fixed, 1000, null, 4, null, null), new EventPrice("guest", "Invité", PriceKind.Free, 0, 10, 1, null, null)]),
            cancellationToken);
        await EnsureAsync(grains, Workshop, venue, new EventDefinition("Atelier réparation vélo", "Venez avec votre vélo, on répare ensemble.", At(3, 14), At(3, 18),
            "Europe/Paris", ["atelier", "vélo"], null, 12, false, true, [new EventPrice("free", "Gratuit", PriceKind.Free, 0, null, 1, null, null)]), cancellationToken);
        await EnsureAsync(grains, Benefit, venue, new EventDefinition("Concert de soutien", "Prix libre, au profit de la cantine solidaire.", At(10, 19), At(10, 23),
            "Europe/Paris", ["concert", "soutien"], null, 150, false, false, [new EventPrice("free-price", "Prix libre", PriceKind.PayWhatYouWant, 500, null, null, null, null)]),
            cancellationToken);
    }

    private static async Task EnsureAsync(IGrainFactory grains, EventId id, VenueId venue, EventDefinition definition, CancellationToken cancellationToken)
    {
        var grain = grains.GetEvent(id);
        if (await grain.FindAsync(cancellationToken) is null)
        {
            await grain.CreateAsync(venue, definition, cancellationToken);
            await grain.PublishAsync(cancellationToken);
        }
    }
}

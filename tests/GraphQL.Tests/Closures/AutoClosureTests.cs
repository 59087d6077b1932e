using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Closures;

/// <summary>
/// Automatic closure at the turn of the business day: the reminder is set for the next turn, and its tick (delivered here
/// directly, as Orleans delivers it at that time) takes a closure marked automatic.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class AutoClosureTests(TestFieldsSiloFixture silo)
{
    private const string Save = "mutation($i: SaveTillSettingsInput!) { saveTillSettings(input: $i) { autoClose } }";

    private const string ReminderStart = "SELECT extract(epoch FROM start_time)::bigint FROM orleans_reminders WHERE grain_id LIKE '%' || $1 AND reminder_name = 'day-turn'";

    private const string Reminders = "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1 AND reminder_name = 'day-turn'";

    [Fact]
    public async Task With_automatic_closure_on_the_day_turn_takes_a_closure_once_and_sets_the_next_turn()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var beer = await ProductAsync(net, await CategoryAsync(net, "Drinks", 2000), "Beer", 350);
        await SellAsync(net, [Line(beer, 2)], complement: "CASH");
        var day = silo.Services.GetRequiredService<IGrainFactory>().GetTillDay(new VenueId(net.Venue)).AsReference<IRemindable>();

        (await silo.PostAsync(Save, new { i = new { venueId = net.Venue, timeZone = "Pacific/Auckland", dayTurn = "05:00", autoClose = true } }, net.Admin)).Data();
        var next = new TillSettings("Pacific/Auckland", new TimeOnly(5, 0), true).NextTurnAfter(DateTimeOffset.UtcNow);
        Assert.InRange(await silo.ScalarAsync(ReminderStart, net.Venue), next.ToUnixTimeSeconds() - 5, next.ToUnixTimeSeconds() + 5);

        await Task.Delay(TimeSpan.FromMilliseconds(2100), TestContext.Current.CancellationToken); // past the closure's settle margin
        await day.ReceiveReminder("day-turn", new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow), TestContext.Current.CancellationToken);
        await day.ReceiveReminder("day-turn", new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow), TestContext.Current.CancellationToken);

        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM till_closures WHERE venue_id = $1 AND automatic AND closed_by = 'automatic'", net.Venue));
        Assert.Equal(700, await silo.ScalarAsync("SELECT (report -> 'byKind' -> 0 ->> 'amount')::bigint FROM till_closures WHERE venue_id = $1", net.Venue));
        Assert.Equal(1, await silo.ScalarAsync(Reminders, net.Venue));
    }

    [Fact]
    public async Task With_automatic_closure_off_the_reminder_is_removed_and_a_late_tick_closes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var day = silo.Services.GetRequiredService<IGrainFactory>().GetTillDay(new VenueId(net.Venue)).AsReference<IRemindable>();

        (await silo.PostAsync(Save, new { i = new { venueId = net.Venue, timeZone = "Europe/Paris", dayTurn = "04:00", autoClose = true } }, net.Admin)).Data();
        Assert.Equal(1, await silo.ScalarAsync(Reminders, net.Venue));
        (await silo.PostAsync(Save, new { i = new { venueId = net.Venue, timeZone = "Europe/Paris", dayTurn = "04:00", autoClose = false } }, net.Admin)).Data();
        await day.ReceiveReminder("day-turn", new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow), TestContext.Current.CancellationToken);

        Assert.Equal(0, await silo.ScalarAsync(Reminders, net.Venue));
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM till_closures WHERE venue_id = $1", net.Venue));
    }
}

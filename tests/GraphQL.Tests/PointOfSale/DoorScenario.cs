using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Events;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.PointOfSale;

/// <summary>A venue (as <see cref="EventScenario"/>) with a door till "door", its reader device, and the door held open by the cashier card.</summary>
public sealed class DoorScenario
{
    public const string TapFields =
        "outcome message amount door { eventId eventTitle eventStartsAt ticketId holderName remaining checkedInAt checkedInBy checkedInWhere }";

    private DoorScenario(EventScenario events, string device)
    {
        Events = events;
        Device = device;
    }

    public EventScenario Events { get; }

    /// <summary>"Device …" of the door's reader.</summary>
    public string Device { get; }

    public string Venue => Events.Venue;

    public static async Task<DoorScenario> CreateAsync(SiloHostFixture silo)
    {
        var events = await EventScenario.CreateAsync(silo);
        var created = (await silo.PostAsync("mutation($v: ID!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: \"door\", name: \"Main door\", mode: DOOR }) { mode } }",
            new { v = events.Venue }, events.VenueAdmin)).Data();
        Assert.Equal("DOOR", created["createPointOfSale"]!["mode"]!.GetValue<string>());
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"door\", name: \"Door reader\") { key } }",
            new { v = events.Venue }, events.Net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();
        var door = new DoorScenario(events, device);
        Assert.Equal("TILL_OPENED", (await door.TapAsync(events.Net.Cashier))["outcome"]!.GetValue<string>());
        return door;
    }

    /// <summary>A card read by the door's reader; returns the tap result.</summary>
    public async Task<JsonNode> TapAsync(string uid, string? device = null) =>
        (await Events.Silo.PostAsync($"mutation($i: TapInput!) {{ tap(input: $i) {{ {TapFields} }} }}",
            new { i = new { readerName = "Door reader", uid, tapId = CashlessNetwork.NewKey() } }, device ?? Device)).Data()["tap"]!;

    /// <summary>A customer with a card linked to their account and <paramref name="seats"/> confirmed tickets for <paramref name="eventId"/>.</summary>
    public async Task<(string Email, string Bearer, string Card)> HolderAsync(string eventId, int seats = 1)
    {
        var holder = await Events.CustomerWithMoneyAsync(5_000);
        await TicketsAsync(eventId, holder.Bearer, seats);
        return holder;
    }

    /// <summary>Confirmed tickets for <paramref name="eventId"/>, paid from the customer's wallet.</summary>
    public async Task TicketsAsync(string eventId, string bearer, int seats = 1)
    {
        var wanted = Enumerable.Range(0, seats).Select(i => (object)new { priceId = "full", holderName = $"Guest {i + 1}" }).ToArray();
        var reservation = EventScenario.Id((await Events.ReserveAsync(eventId, bearer, wanted)).Data()["reserve"]!);
        (await Events.ConfirmAsync(eventId, reservation, bearer)).Data();
    }

    public static string Outcome(JsonNode tap) => tap["outcome"]!.GetValue<string>();
}

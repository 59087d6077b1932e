using System.Text.Json.Nodes;
using TiBillet.ReaderAgent.Taps;
using TiBillet.ReaderAgent.Tests.Rig;
using TiBillet.Testing;

namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>
/// A door check-in with nothing simulated but the card: virtual card → vpcd → pcscd → the reader agent → <c>tap</c> →
/// the till in DOOR mode → the event grain → PostgreSQL, and the result on the till's subscribed screen.
/// </summary>
[Collection(TapSiloCollection.Name)]
public sealed class DoorEndToEndTests(TapSiloFixture silo)
{
    private const string Reader = PcscDaemon.FirstReader;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_ticket_holder_tapping_at_the_door_is_checked_in_once_and_the_screen_sees_it()
    {
        await PcscDaemon.WaitForCardAsync(Reader, present: false, Ct).WaitAsync(Timeout, Ct);
        var till = await Till.CreateAsync(silo);
        var venueAdmin = await silo.StaffAsync(till.Network.Venue, "ADMIN");
        (await silo.PostAsync("mutation($i: SetPointOfSaleModeInput!) { setPointOfSaleMode(input: $i) { mode } }",
            new { i = new { venueId = till.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, mode = "DOOR" } }, venueAdmin)).Data();
        var holder = await HolderWithTicketAsync(till, venueAdmin);
        await using var agent = await ReaderAgentProcess.StartAsync(silo.GraphQLUri, till.DeviceKey, Reader, Timeout, Ct);
        Assert.Equal(TapOutcomes.TillOpened, (await TapAsync(agent, till.Cashier)).Outcome);
        const string query = "subscription($v: ID!, $p: ID!) { pointOfSaleEvents(venueId: $v, pointOfSaleId: $p) { kind pointOfSale { mode } tap { tapId outcome door { eventTitle remaining } } } }";
        await using var screen = await GraphQLSubscriptionClient.SubscribeAsync(silo.GraphQLUri, venueAdmin, query, new { v = till.Network.Venue, p = Till.PointOfSaleCode }, Ct);
        Assert.Equal("DOOR", (await NextEventAsync(screen))["pointOfSale"]!["mode"]!.GetValue<string>());
        var balance = await till.TlfBalanceAsync(holder);

        var first = await TapAsync(agent, holder);
        var second = await TapAsync(agent, holder);

        Assert.Equal(TapOutcomes.CheckedIn, first.Outcome);
        Assert.Equal("ALREADY_IN", second.Outcome);
        Assert.Null(first.Amount);
        var seen = await NextEventAsync(screen);
        Assert.Equal(("TAP_HANDLED", first.TapId, "CHECKED_IN"), (seen["kind"]!.GetValue<string>(), seen["tap"]!["tapId"]!.GetValue<string>(), seen["tap"]!["outcome"]!.GetValue<string>()));
        Assert.Equal("Door night", seen["tap"]!["door"]!["eventTitle"]!.GetValue<string>());
        Assert.Equal("ALREADY_IN", (await NextEventAsync(screen))["tap"]!["outcome"]!.GetValue<string>());
        Assert.Equal(balance, await till.TlfBalanceAsync(holder));
        Assert.Equal((0, 0), await till.SalesOfCardAsync(holder));
    }

    /// <summary>A card linked to a signed-in customer who bought one ticket, from their wallet, for an event starting in an hour.</summary>
    private async Task<string> HolderWithTicketAsync(Till till, string venueAdmin)
    {
        var start = DateTimeOffset.UtcNow.AddHours(1);
        var created = (await silo.PostAsync("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", new
        {
            i = new
            {
                venueId = till.Network.Venue, title = "Door night", description = "", startsAt = start, endsAt = start.AddHours(2), timeZone = "Europe/Paris",
                tags = Array.Empty<string>(), capacity = 10, @private = false, nominative = false,
                prices = new[] { new { id = "full", name = "Entry", kind = "FIXED", amount = 800L } },
            },
        }, venueAdmin)).Data()["createEvent"]!["id"]!.GetValue<string>();
        (await silo.PostAsync("mutation($i: EventActionInput!) { publishEvent(input: $i) { id } }", new { i = new { eventId = created } }, venueAdmin)).Data();

        var email = $"door-{Guid.NewGuid():N}@test.localhost";
        var customer = await silo.CustomerTokenAsync(email);
        var card = await till.FundedCardAsync(2_000);
        (await silo.PostAsync("mutation($i: LinkMyCardInput!) { linkMyCard(input: $i) { userWalletId } }",
            new { i = new { idempotencyKey = CashlessNetwork.NewKey(), qrId = "qr-" + card } }, customer)).Data();
        var reservation = (await silo.PostAsync("mutation($i: ReserveInput!) { reserve(input: $i) { id } }",
            new { i = new { eventId = created, idempotencyKey = CashlessNetwork.NewKey(), seats = new[] { new { priceId = "full" } } } }, customer)).Data()["reserve"]!["id"]!.GetValue<string>();
        (await silo.PostAsync("mutation($i: ReservationRefInput!) { confirmReservation(input: $i) { state } }",
            new { i = new { eventId = created, reservationId = reservation } }, customer)).Data();
        return card;
    }

    private static async Task<AgentTap> TapAsync(ReaderAgentProcess agent, string uid)
    {
        await using var card = new VirtualCard(0);
        await card.PlaceAsync(uid, Ct);
        var tap = await agent.NextTapAsync(Timeout, Ct);
        await card.RemoveAsync();
        return tap;
    }

    private static async Task<JsonObject> NextEventAsync(GraphQLSubscriptionClient screen) =>
        (await screen.NextDataAsync(Ct).WaitAsync(Timeout, Ct))["pointOfSaleEvents"]!.AsObject();
}

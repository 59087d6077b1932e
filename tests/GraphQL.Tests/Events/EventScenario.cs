using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

/// <summary>A venue with its admin, and events made through the API, for the event tests.</summary>
public sealed class EventScenario
{
    public const string EventFields =
        "id venueId state title description startsAt endsAt timeZone localStartsAt tags imageUrl capacity private nominative holdSeconds taken sold " +
        "prices { id name kind amount stock perCustomerLimit taken remaining }";

    public const string ReservationFields = "id eventId state total heldUntil refunded customer seats { priceId amount holderName } tickets { id code priceId holderName cancelled checkedInAt }";

    private EventScenario(SiloHostFixture silo, CashlessNetwork net, string venueAdmin)
    {
        Silo = silo;
        Net = net;
        VenueAdmin = venueAdmin;
    }

    public SiloHostFixture Silo { get; }

    public CashlessNetwork Net { get; }

    /// <summary>"Bearer …" of a staff user holding ADMIN at <see cref="Venue"/>.</summary>
    public string VenueAdmin { get; }

    public string Venue => Net.Venue;

    public static async Task<EventScenario> CreateAsync(SiloHostFixture silo)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        return new EventScenario(silo, net, await silo.StaffAsync(net.Venue, "ADMIN"));
    }

    /// <summary>An event input starting in an hour (today at the venue), with the given prices (default: one fixed price of 10.00).</summary>
    public object Input(int capacity = 100, object[]? prices = null, string title = "Concert", string[]? tags = null, bool isPrivate = false, int? holdSeconds = null,
        bool nominative = false, DateTimeOffset? startsAt = null, string description = "A night of music")
    {
        var start = startsAt ?? DateTimeOffset.UtcNow.AddHours(1);
        return new
        {
            venueId = Venue, title, description, startsAt = start, endsAt = start.AddHours(2), timeZone = "Europe/Paris", tags = tags ?? ["music"],
            imageUrl = "https://example.org/poster.png", capacity, @private = isPrivate, nominative, holdSeconds,
            prices = prices ?? [new { id = "full", name = "Plein tarif", kind = "FIXED", amount = 1000L }],
        };
    }

    public Task<GraphQLResponse> CreateAsync(object input, string? bearer = null) =>
        Silo.PostAsync($"mutation($i: CreateEventInput!) {{ createEvent(input: $i) {{ {EventFields} }} }}", new { i = input }, bearer ?? VenueAdmin);

    public Task<GraphQLResponse> ActAsync(string action, string eventId, string? bearer = null) =>
        Silo.PostAsync($"mutation($i: EventActionInput!) {{ {action}(input: $i) {{ {EventFields} }} }}", new { i = new { eventId } }, bearer ?? VenueAdmin);

    /// <summary>A published event; returns its id.</summary>
    public async Task<string> PublishedAsync(object input)
    {
        var id = (await CreateAsync(input)).Data()["createEvent"]!["id"]!.GetValue<string>();
        (await ActAsync("publishEvent", id)).Data();
        return id;
    }

    public Task<GraphQLResponse> ReserveAsync(string eventId, string bearer, object[]? seats = null, string? key = null) =>
        Silo.PostAsync($"mutation($i: ReserveInput!) {{ reserve(input: $i) {{ {ReservationFields} }} }}",
            new { i = new { eventId, idempotencyKey = key ?? CashlessNetwork.NewKey(), seats = seats ?? [new { priceId = "full" }] } }, bearer);

    public Task<GraphQLResponse> ConfirmAsync(string eventId, string reservationId, string bearer) =>
        Silo.PostAsync($"mutation($i: ReservationRefInput!) {{ confirmReservation(input: $i) {{ {ReservationFields} }} }}",
            new { i = new { eventId, reservationId } }, bearer);

    public Task<GraphQLResponse> CancelAsync(string eventId, string reservationId, string bearer) =>
        Silo.PostAsync($"mutation($i: ReservationRefInput!) {{ cancelReservation(input: $i) {{ {ReservationFields} }} }}",
            new { i = new { eventId, reservationId } }, bearer);

    public Task<GraphQLResponse> CheckInAsync(string code, string? venue = null, string? bearer = null) =>
        Silo.PostAsync("mutation($i: CheckInInput!) { checkIn(input: $i) { outcome ticketId holderName checkedInAt checkedInBy checkedInWhere } }",
            new { i = new { venueId = venue ?? Venue, code, where = "door A" } }, bearer ?? VenueAdmin);

    /// <summary>A signed-in customer whose wallet holds <paramref name="cents"/> of the venue's TLF (a funded card linked to them).</summary>
    public async Task<(string Email, string Bearer, string Card)> CustomerWithMoneyAsync(long cents)
    {
        var (email, bearer) = Silo.NewCustomer();
        var card = await Net.FundedCardAsync(cents);
        (await Silo.LinkMyCardAsync(card, bearer)).Data();
        return (email, bearer, card);
    }

    public async Task<long> WalletTlfAsync(string bearer) =>
        CashlessNetwork.Balances((await Silo.PostAsync("{ myWallet { balances { assetId amount } } }", null, bearer)).Data()["myWallet"]!["balances"]!)
            .GetValueOrDefault(Net.Tlf);

    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();
}

using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

[Collection(SiloCollection.Name)]
public sealed class CheckInApiTests(TestFieldsSiloFixture silo)
{
    /// <summary>A confirmed, paid reservation of one seat at a new venue: (scenario, event id, reservation id, ticket code, customer bearer).</summary>
    private async Task<(EventScenario S, string Event, string Reservation, string Code, string Bearer)> TicketAsync(DateTimeOffset? startsAt = null)
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5, nominative: true, startsAt: startsAt));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(2000);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer, [new { priceId = "full", holderName = "Ada Lovelace" }])).Data()["reserve"]!);
        var code = (await s.ConfirmAsync(id, rid, bearer)).Data()["confirmReservation"]!["tickets"]![0]!["code"]!.GetValue<string>();
        return (s, id, rid, code, bearer);
    }

    [Fact]
    public async Task A_ticket_checks_in_once_and_a_second_scan_says_when_where_and_by_whom()
    {
        var (s, _, _, code, _) = await TicketAsync();
        var cashier = await silo.StaffAsync(s.Venue, "CASHIER");

        var first = (await s.CheckInAsync(code, bearer: cashier)).Data()["checkIn"]!;
        var second = (await s.CheckInAsync(code)).Data()["checkIn"]!;

        Assert.Equal("CHECKED_IN", first["outcome"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", first["holderName"]!.GetValue<string>());
        Assert.Equal("ALREADY_CHECKED_IN", second["outcome"]!.GetValue<string>());
        Assert.Equal(first["checkedInAt"]!.GetValue<DateTimeOffset>(), second["checkedInAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(first["checkedInBy"]!.GetValue<string>(), second["checkedInBy"]!.GetValue<string>());
        Assert.Equal("door A", second["checkedInWhere"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forged_foreign_and_cancelled_tickets_are_refused_each_with_its_code()
    {
        var (s, id, rid, code, bearer) = await TicketAsync();
        var (other, _, _, foreign, _) = await TicketAsync();
        var (_, _, _, victim, _) = await TicketAsync();
        // The same payload with another venue's signature, and a flipped signature byte.
        var swapped = code.Split('.')[0] + "." + foreign.Split('.')[1];
        var flipped = code[..^2] + (code[^2] == 'A' ? 'B' : 'A') + code[^1];

        Assert.Equal("TICKET_FORGED", (await s.CheckInAsync("not-a-ticket")).ErrorCode());
        Assert.Equal("TICKET_FORGED", (await s.CheckInAsync(swapped)).ErrorCode());
        Assert.Equal("TICKET_FORGED", (await s.CheckInAsync(flipped)).ErrorCode());
        Assert.Equal("TICKET_WRONG_VENUE", (await s.CheckInAsync(foreign)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.CheckInAsync(victim, other.Venue, s.VenueAdmin)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await s.CheckInAsync(code, bearer: await silo.StaffAsync(s.Venue, "VIEWER"))).ErrorCode());
        (await s.CancelAsync(id, rid, bearer)).Data();
        Assert.Equal("TICKET_CANCELLED", (await s.CheckInAsync(code)).ErrorCode());
    }

    [Fact]
    public async Task A_ticket_for_another_day_is_not_let_in()
    {
        var (s, _, _, code, _) = await TicketAsync(DateTimeOffset.UtcNow.AddDays(10));

        Assert.Equal("WRONG_DAY", (await s.CheckInAsync(code)).Data()["checkIn"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_venue_public_key_verifies_a_code_offline()
    {
        var (s, _, _, code, _) = await TicketAsync();

        var key = (await silo.PostAsync("query($v: ID!) { venueTicketKey(venueId: $v) { algorithm publicKeyPem } }", new { v = s.Venue })).Data()["venueTicketKey"]!;
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(key["publicKeyPem"]!.GetValue<string>());
        var parts = code.Split('.');

        Assert.Equal("ES256", key["algorithm"]!.GetValue<string>());
        Assert.True(ecdsa.VerifyData(FromBase64Url(parts[0]), FromBase64Url(parts[1]), System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    private static byte[] FromBase64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/') + new string('=', (4 - s.Length % 4) % 4));
}

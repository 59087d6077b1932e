using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Tests.Events;

public sealed class SeatBookTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly EmailAddress Ada = new("ada@test.localhost");
    private static readonly EmailAddress Bob = new("bob@test.localhost");

    private static EventDefinition Event(int capacity, params EventPrice[] prices) =>
        new("Night", "", Now.AddDays(1), Now.AddDays(1).AddHours(2), "Europe/Paris", [], null, capacity, false, false, [.. prices]);

    private static EventPrice Price(string id, PriceKind kind = PriceKind.Fixed, long amount = 1000, int? stock = null, int? limit = null,
        DateTimeOffset? start = null, DateTimeOffset? end = null) => new(id, id, kind, amount, stock, limit, start, end);

    private static ImmutableArray<SeatRequest> Seats(params string[] prices) => [.. prices.Select(p => new SeatRequest(p))];

    private static string CodeOf(Action act) => Assert.Throws<DomainException>(act).Code;

    [Fact]
    public void Capacity_and_stock_are_exact_and_released_seats_come_back()
    {
        var book = new SeatBook();
        var definition = Event(3, Price("a", stock: 2), Price("b"));
        var first = book.Plan(definition, Ada, Seats("a", "a"), Now);
        book.Take(Ada, first);

        Assert.Equal(ErrorCodes.SoldOut, CodeOf(() => book.Plan(definition, Bob, Seats("a"), Now)));
        book.Take(Bob, book.Plan(definition, Bob, Seats("b"), Now));
        Assert.Equal(ErrorCodes.SoldOut, CodeOf(() => book.Plan(definition, Bob, Seats("b"), Now)));
        book.Release(Ada, first);
        Assert.Equal(1, book.Taken);
        Assert.Equal(2, book.Plan(definition, Bob, Seats("a", "b"), Now).Length);
    }

    [Fact]
    public void Per_customer_limits_windows_and_amounts_are_enforced()
    {
        var book = new SeatBook();
        var definition = Event(100, Price("a", limit: 2), Price("later", start: Now.AddHours(1)), Price("gone", end: Now),
            Price("pwyw", PriceKind.PayWhatYouWant, 500), Price("free", PriceKind.Free, 0));
        book.Take(Ada, book.Plan(definition, Ada, Seats("a", "a"), Now));

        Assert.Equal(ErrorCodes.LimitExceeded, CodeOf(() => book.Plan(definition, Ada, Seats("a"), Now)));
        Assert.Single(book.Plan(definition, Bob, Seats("a"), Now));
        Assert.Equal(ErrorCodes.SalesClosed, CodeOf(() => book.Plan(definition, Bob, Seats("later"), Now)));
        Assert.Equal(ErrorCodes.SalesClosed, CodeOf(() => book.Plan(definition, Bob, Seats("gone"), Now)));
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => book.Plan(definition, Bob, [new SeatRequest("pwyw", 499)], Now)));
        Assert.Equal(750, book.Plan(definition, Bob, [new SeatRequest("pwyw", 750)], Now)[0].Amount);
        Assert.Equal(0, book.Plan(definition, Bob, Seats("free"), Now)[0].Amount);
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => book.Plan(definition, Bob, Seats("nope"), Now)));
    }

    [Fact]
    public void A_new_definition_must_keep_the_seats_taken()
    {
        var book = new SeatBook();
        var definition = Event(10, Price("a", stock: 5));
        book.Take(Ada, book.Plan(definition, Ada, Seats("a", "a", "a"), Now));

        Assert.Equal(ErrorCodes.Conflict, CodeOf(() => book.RequireFits(definition with { Capacity = 2 })));
        Assert.Equal(ErrorCodes.Conflict, CodeOf(() => book.RequireFits(definition with { Prices = [Price("a", stock: 2)] })));
        Assert.Equal(ErrorCodes.Conflict, CodeOf(() => book.RequireFits(definition with { Prices = [Price("b")] })));
        book.RequireFits(definition with { Capacity = 3 });
    }

    [Fact]
    public void Event_rules_normalise_and_refuse()
    {
        var definition = Event(10, Price("a")) with { Title = "  Night  ", Tags = ["Jazz", "jazz", " Live "] };

        var normalized = EventRules.Normalize(definition);

        Assert.Equal("Night", normalized.Title);
        Assert.Equal(new[] { "jazz", "live" }, normalized.Tags);
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => EventRules.Normalize(definition with { TimeZone = "Nowhere/City" })));
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => EventRules.Normalize(definition with { EndsAt = definition.StartsAt.AddHours(-1) })));
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => EventRules.Normalize(definition with { Prices = [Price("a"), Price("a")] })));
        Assert.Equal(ErrorCodes.BadUserInput, CodeOf(() => EventRules.Normalize(definition with { ImageUrl = "javascript:alert(1)" })));
    }
}

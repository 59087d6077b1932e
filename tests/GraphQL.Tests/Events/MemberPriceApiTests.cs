using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.Events;

/// <summary>Members-only prices: checked from the membership rows when the reservation is made, through the API.</summary>
[Collection(SiloCollection.Name)]
public sealed class MemberPriceApiTests(TestFieldsSiloFixture silo)
{
    private const string Buy = "mutation($i: BuyMembershipInput!) { buyMembership(input: $i) { approved purchase { id } } }";

    /// <summary>A venue with a membership product and a published event with a full price (10.00) and a members' price (5.00).</summary>
    private async Task<(EventScenario S, string Event, string Product)> MemberEventAsync()
    {
        var s = await EventScenario.CreateAsync(silo);
        var product = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = s.Venue, name = "Adhésion", duration = "DAY", price = 1000 } }, s.Net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        var evt = await s.PublishedAsync(s.Input(prices:
        [
            new { id = "full", name = "Plein tarif", kind = "FIXED", amount = 1000L },
            new { id = "member", name = "Adhérent", kind = "FIXED", amount = 500L, membershipProductId = product },
        ]));
        return (s, evt, product);
    }

    private async Task<string> BuyMembershipAsync(EventScenario s, string product, string card) =>
        (await silo.PostAsync(Buy, new { i = new { idempotencyKey = NewKey(), venueId = s.Venue, productId = product, cashierUid = s.Net.Cashier, cardUid = card, means = "CASH" } },
            s.Net.Admin)).Data()["buyMembership"]!["purchase"]!["id"]!.GetValue<string>();

    private static Task<GraphQLResponse> ReserveMemberAsync(EventScenario s, string evt, string customer) => s.ReserveAsync(evt, customer, [new { priceId = "member" }]);

    private Task<long> ReservationsOfAsync(string evt) => silo.ScalarAsync("SELECT count(*) FROM reservations WHERE event_id = $1::uuid", evt);

    [Fact]
    public async Task A_member_reserves_at_the_members_price_and_the_event_shows_it_as_members_only()
    {
        var (s, evt, product) = await MemberEventAsync();
        var (_, customer, card) = await s.CustomerWithMoneyAsync(100);
        await BuyMembershipAsync(s, product, card);

        var held = (await ReserveMemberAsync(s, evt, customer)).Data()["reserve"]!;
        var prices = (await silo.PostAsync("query($id: ID!) { event(id: $id) { prices { id membersOnly membershipProductId } } }", new { id = evt }))
            .Data()["event"]!["prices"]!.AsArray();

        Assert.Equal("HELD", held["state"]!.GetValue<string>());
        Assert.Equal(500, held["total"]!.GetValue<long>());
        Assert.False(prices[0]!["membersOnly"]!.GetValue<bool>());
        Assert.Null(prices[0]!["membershipProductId"]);
        Assert.True(prices[1]!["membersOnly"]!.GetValue<bool>());
        Assert.Equal(product, prices[1]!["membershipProductId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_non_member_is_refused_the_members_price_and_nothing_is_held()
    {
        var (s, evt, _) = await MemberEventAsync();
        var (_, withCard, _) = await s.CustomerWithMoneyAsync(100);
        var (_, noWallet) = silo.NewCustomer();

        var refused = await ReserveMemberAsync(s, evt, withCard);
        var refusedToo = await s.ReserveAsync(evt, noWallet, [new { priceId = "full" }, new { priceId = "member" }]);
        var taken = (await silo.PostAsync("query($id: ID!) { event(id: $id) { taken } }", new { id = evt })).Data()["event"]!["taken"]!.GetValue<int>();
        var reservations = await ReservationsOfAsync(evt);
        var fullPrice = (await s.ReserveAsync(evt, noWallet)).Data()["reserve"]!;

        Assert.Equal("MEMBERSHIP_REQUIRED", refused.ErrorCode());
        Assert.Equal("MEMBERSHIP_REQUIRED", refusedToo.ErrorCode());
        Assert.Equal(0, taken);
        Assert.Equal(0, reservations);
        Assert.Equal("HELD", fullPrice["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_membership_is_refused()
    {
        var (s, evt, product) = await MemberEventAsync();
        var (_, customer, card) = await s.CustomerWithMoneyAsync(100);
        var purchase = await BuyMembershipAsync(s, product, card);
        // The real silo's clock cannot be moved: the stored period is moved into the past instead, which is what validity is read from.
        await silo.ScalarAsync("UPDATE membership_purchases SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' WHERE purchase_id = $1::uuid RETURNING 1",
            purchase);

        var refused = await ReserveMemberAsync(s, evt, customer);

        Assert.Equal("MEMBERSHIP_REQUIRED", refused.ErrorCode());
        Assert.Equal(0, await ReservationsOfAsync(evt));
    }

    [Fact]
    public async Task A_membership_bought_on_an_anonymous_card_counts_for_its_owner_once_the_card_is_linked()
    {
        var (s, evt, product) = await MemberEventAsync();
        var card = await NewCardAsync(silo.Client, s.Net.Admin);
        var (_, customer) = silo.NewCustomer();
        await BuyMembershipAsync(s, product, card);

        var beforeLink = await ReserveMemberAsync(s, evt, customer);
        (await silo.LinkMyCardAsync(card, customer)).Data();
        var afterLink = (await ReserveMemberAsync(s, evt, customer)).Data()["reserve"]!;

        Assert.Equal("MEMBERSHIP_REQUIRED", beforeLink.ErrorCode());
        Assert.Equal("HELD", afterLink["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_members_price_must_name_a_membership_product_of_the_venue()
    {
        var s = await EventScenario.CreateAsync(silo);
        var other = await EventScenario.CreateAsync(silo);
        var foreign = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = other.Venue, name = "Ailleurs", duration = "DAY", price = 100 } }, other.Net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();

        var refused = await s.CreateAsync(s.Input(prices: [new { id = "member", name = "Adhérent", kind = "FIXED", amount = 500L, membershipProductId = foreign }]));
        var unknown = await s.CreateAsync(s.Input(prices: [new { id = "member", name = "Adhérent", kind = "FIXED", amount = 500L, membershipProductId = Guid.NewGuid() }]));

        Assert.Equal("BAD_USER_INPUT", refused.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", unknown.ErrorCode());
    }
}

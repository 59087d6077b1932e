using System.Globalization;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.Memberships;

/// <summary>Memberships through the public API: products, counter purchases, validity from the purchase rows, the tap, refusals.</summary>
[Collection(SiloCollection.Name)]
public sealed class MembershipApiTests(TestFieldsSiloFixture silo)
{
    private const string Create =
        "mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id venueId name duration price requiresValidation timeZone } }";

    private const string Buy =
        "mutation($i: BuyMembershipInput!) { buyMembership(input: $i) { approved reason shortfall purchase { id channel amount operationId startsAt endsAt validatedAt holderWalletId } } }";

    private const string Status =
        "query($v: ID!, $c: String!) { membership(venueId: $v, cardUid: $c) { state validUntil expiredSince lifetime products { name state validUntil } } }";

    private Task<GraphQLResponse> CreateAsync(CashlessNetwork net, string duration, long price, bool validation = false, string? auth = null) =>
        silo.PostAsync(Create, new { i = new { venueId = net.Venue, name = "Adhésion " + duration, duration, price, requiresValidation = validation } }, auth ?? net.Admin);

    private async Task<string> ProductAsync(CashlessNetwork net, string duration, long price, bool validation = false) =>
        (await CreateAsync(net, duration, price, validation)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();

    private Task<GraphQLResponse> BuyAsync(CashlessNetwork net, string product, string card, string means, string? key = null, string? auth = null, string? venue = null, string? cashier = null) =>
        silo.PostAsync(Buy, new { i = new { idempotencyKey = key ?? NewKey(), venueId = venue ?? net.Venue, productId = product, cashierUid = cashier ?? net.Cashier, cardUid = card, means } }, auth ?? net.Admin);

    private async Task<System.Text.Json.Nodes.JsonNode> StatusAsync(CashlessNetwork net, string card) =>
        (await silo.PostAsync(Status, new { v = net.Venue, c = card }, net.Admin)).Data()["membership"]!;

    private static DateTimeOffset At(System.Text.Json.Nodes.JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_membership_paid_from_the_card_is_a_sale_and_a_renewal_extends_from_the_current_end()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "WEEK", 1500);
        var card = await net.FundedCardAsync(4000);
        var key = NewKey();

        var first = (await BuyAsync(net, product, card, "WALLET", key)).Data()["buyMembership"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await BuyAsync(net, product, card, "WALLET", key)).Data()["buyMembership"]!;
        var renewal = (await BuyAsync(net, product, card, "WALLET")).Data()["buyMembership"]!;

        Assert.True(first["approved"]!.GetValue<bool>());
        Assert.NotNull(first["purchase"]!["operationId"]!.GetValue<string>());
        Assert.Equal(first["purchase"]!["id"]!.GetValue<string>(), replay["purchase"]!["id"]!.GetValue<string>());
        Assert.True(renewal["approved"]!.GetValue<bool>());
        var firstEnd = At(first["purchase"]!["endsAt"]);
        Assert.Equal(TimeSpan.FromDays(7), firstEnd - At(first["purchase"]!["startsAt"]));
        Assert.Equal(firstEnd, At(renewal["purchase"]!["startsAt"]));
        Assert.Equal(firstEnd.AddDays(7), At(renewal["purchase"]!["endsAt"]));
        // Two sales of 15.00: the replay charged nothing.
        Assert.Equal(1000, await net.TlfBalanceAsync(card));
        Assert.True(await silo.LedgerRowsAsync() > rows);

        var status = await StatusAsync(net, card);
        Assert.Equal("VALID", status["state"]!.GetValue<string>());
        Assert.Equal(firstEnd.AddDays(7), At(status["validUntil"]));
    }

    [Fact]
    public async Task A_card_that_cannot_pay_is_declined_and_nothing_is_stored()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "CALENDAR_YEAR", 2000);
        var card = await net.FundedCardAsync(500);
        var ledger = await silo.LedgerRowsAsync();

        var declined = (await BuyAsync(net, product, card, "WALLET")).Data()["buyMembership"]!;

        Assert.False(declined["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", declined["reason"]!.GetValue<string>());
        Assert.Equal(1500, declined["shortfall"]!.GetValue<long>());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("NONE", (await StatusAsync(net, card))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_membership_paid_in_cash_moves_no_money_and_a_tap_at_the_till_shows_it()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "LIFETIME", 9000);
        var card = await NewCardAsync(silo.Client, net.Admin);
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"Bar\") { key } }",
            new { v = net.Venue }, net.Admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();
        const string tap = "mutation($u: String!, $t: String!) { tap(input: {readerName: \"r\", uid: $u, tapId: $t}) { outcome membership { state validUntil lifetime } } }";

        var before = (await silo.PostAsync(tap, new { u = card, t = NewKey() }, device)).Data()["tap"]!;
        var ledger = await silo.LedgerRowsAsync();
        var bought = (await BuyAsync(net, product, card, "CASH")).Data()["buyMembership"]!;
        var after = (await silo.PostAsync(tap, new { u = card, t = NewKey() }, device)).Data()["tap"]!;

        Assert.Equal("NONE", before["membership"]!["state"]!.GetValue<string>());
        Assert.True(bought["approved"]!.GetValue<bool>());
        Assert.Null(bought["purchase"]!["endsAt"]);
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("VALID", after["membership"]!["state"]!.GetValue<string>());
        Assert.True(after["membership"]!["lifetime"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_membership_bought_on_an_anonymous_card_stays_with_its_owner_once_linked()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "SCHOOL_YEAR", 1000);
        var card = await NewCardAsync(silo.Client, net.Admin);
        var (_, customer) = silo.NewCustomer();
        const string mine = "query($v: ID!) { myMembership(venueId: $v) { state validUntil } }";

        var bought = (await BuyAsync(net, product, card, "BANK_CARD")).Data()["buyMembership"]!["purchase"]!;
        (await silo.LinkMyCardAsync(card, customer)).Data();
        var own = (await silo.PostAsync(mine, new { v = net.Venue }, customer)).Data()["myMembership"]!;
        var byCard = await StatusAsync(net, card);

        Assert.Equal("VALID", own["state"]!.GetValue<string>());
        Assert.Equal(At(bought["endsAt"]), At(own["validUntil"]));
        Assert.Equal("VALID", byCard["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_membership_needing_validation_is_pending_until_a_venue_admin_validates_it()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "DAYS_365", 0, validation: true);
        var card = await NewCardAsync(silo.Client, net.Admin);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var admin = await silo.StaffAsync(net.Venue, "ADMIN");
        const string validate = "mutation($i: ValidateMembershipInput!) { validateMembership(input: $i) { id validatedAt } }";

        var purchase = (await BuyAsync(net, product, card, "WALLET", auth: cashier)).Data()["buyMembership"]!["purchase"]!["id"]!.GetValue<string>();
        var pending = await StatusAsync(net, card);
        const string list = "query($v: ID!) { pendingMemberships(venueId: $v) { id } }";
        var listedByCashier = await silo.PostAsync(list, new { v = net.Venue }, cashier);
        var listed = (await silo.PostAsync(list, new { v = net.Venue }, admin)).Data()["pendingMemberships"]!.AsArray();
        var byCashier = await silo.PostAsync(validate, new { i = new { venueId = net.Venue, purchaseId = purchase } }, cashier);
        var validated = (await silo.PostAsync(validate, new { i = new { venueId = net.Venue, purchaseId = purchase } }, admin)).Data()["validateMembership"]!;
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var otherVenue = await silo.PostAsync(validate, new { i = new { venueId = elsewhere.Venue, purchaseId = purchase } }, elsewhere.Admin);

        Assert.Equal("PENDING", pending["state"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", listedByCashier.ErrorCode());
        Assert.Equal(purchase, Assert.Single(listed)!["id"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", byCashier.ErrorCode());
        Assert.NotNull(validated["validatedAt"]);
        Assert.Equal("NOT_FOUND", otherVenue.ErrorCode());
        Assert.Equal("VALID", (await StatusAsync(net, card))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refusals_wrong_role_wrong_venue_foreign_product_and_foreign_cashier_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await ProductAsync(net, "DAY", 300);
        var foreign = await ProductAsync(other, "DAY", 300);
        var card = await net.FundedCardAsync(1000);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var viewer = await silo.StaffAsync(net.Venue, "VIEWER");
        var (_, customer) = silo.NewCustomer();
        var ledger = await silo.LedgerRowsAsync();

        Assert.Equal("FORBIDDEN", (await CreateAsync(net, "DAY", 100, auth: cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await BuyAsync(net, product, card, "WALLET", auth: viewer)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await BuyAsync(net, product, card, "WALLET", auth: customer)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await BuyAsync(net, product, card, "WALLET", auth: cashier, venue: other.Venue, cashier: other.Cashier)).ErrorCode());
        Assert.Equal("NOT_FOUND", (await BuyAsync(net, foreign, card, "WALLET", auth: cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await BuyAsync(net, product, card, "WALLET", auth: cashier, cashier: other.Cashier)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await BuyAsync(net, product, card, "ONLINE", auth: cashier)).ErrorCode());
        Assert.Equal("UNKNOWN_CARD", (await BuyAsync(net, product, NewUid(), "CASH", auth: cashier)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(Status, new { v = other.Venue, c = card }, viewer)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync(Status, new { v = net.Venue, c = card }, customer)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await silo.PostAsync("query($v: ID!) { myMembership(venueId: $v) { state } }", new { v = net.Venue }, cashier)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await silo.PostAsync(Create, new { i = new { venueId = net.Venue, name = "x", duration = "DAY", price = 1, timeZone = "Mars/Olympus" } }, net.Admin)).ErrorCode());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM membership_purchases WHERE venue_id = $1", net.Venue));

        var products = (await silo.PostAsync("query($v: ID!) { membershipProducts(venueId: $v) { id price } }", new { v = net.Venue })).Data()["membershipProducts"]!.AsArray();
        Assert.Equal(product, Assert.Single(products)!["id"]!.GetValue<string>());
    }
}

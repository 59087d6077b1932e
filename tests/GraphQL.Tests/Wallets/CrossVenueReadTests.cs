using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Identity;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Wallets;

/// <summary>
/// One venue's wallet, revenue and mints, and the FED mint, are read only by that venue's staff and the instance admin;
/// a BALANCE tap shows only this venue's movements; cards are read by venue staff, and customers read only their own.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class CrossVenueReadTests(TestFieldsSiloFixture silo)
{
    private const string WalletAt = "query($w: ID!, $v: ID!) { wallet(id: $w, venueId: $v) { balances { assetId amount } } }";
    private const string HistoryAt = "query($w: ID!, $v: ID!) { transactions(walletId: $w, venueId: $v) { items { id } } }";
    private const string History = "query($v: ID!) { transactions(venueId: $v) { items { id } } }";
    private const string Card = "query($u: String!) { card(uid: $u) { uid walletId } }";

    /// <summary>Venue A with revenue (a sale paid in FED) and venue B next to it.</summary>
    private async Task<(CashlessNetwork A, CashlessNetwork B, string Card)> TwoVenuesAsync()
    {
        var a = await CashlessNetwork.CreateAsync(silo.Client);
        var b = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, a.Admin);
        await a.IssueAsync(await a.WalletOfAsync(card), CashlessNetwork.Fed, 2_000);
        Assert.True((await a.PayAsync(card, 500, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        return (a, b, card);
    }

    private async Task<string> DeviceOfAsync(CashlessNetwork net) =>
        "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"r\") { key } }", new { v = net.Venue }, net.Admin))
            .Data()["registerDevice"]!["key"]!.GetValue<string>();

    private async Task<string> CallerOfBAsync(CashlessNetwork b, string who) =>
        who == "DEVICE" ? await DeviceOfAsync(b) : await silo.StaffAsync(b.Venue, who);

    private async Task AssertRefusedAsync(string query, object variables, string authorization, string field)
    {
        var rows = await silo.LedgerRowsAsync();

        var response = await silo.PostAsync(query, variables, authorization);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Null(response.Body["data"]?[field]);
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    [Theory]
    [InlineData("VIEWER")]
    [InlineData("CASHIER")]
    [InlineData("ADMIN")]
    [InlineData("DEVICE")]
    public async Task Venue_b_cannot_read_venue_a_wallet_its_revenue(string who)
    {
        var (a, b, _) = await TwoVenuesAsync();
        var caller = await CallerOfBAsync(b, who);

        await AssertRefusedAsync(WalletAt, new { w = await a.VenueWalletAsync(), v = b.Venue }, caller, "wallet");
    }

    [Theory]
    [InlineData("VIEWER")]
    [InlineData("CASHIER")]
    [InlineData("ADMIN")]
    [InlineData("DEVICE")]
    public async Task Venue_b_cannot_read_the_fed_mint_or_venue_a_mints(string who)
    {
        var (a, b, _) = await TwoVenuesAsync();
        var caller = await CallerOfBAsync(b, who);

        await AssertRefusedAsync(WalletAt, new { w = CashlessNetwork.Fed, v = b.Venue }, caller, "wallet");
        await AssertRefusedAsync(WalletAt, new { w = a.Tlf, v = b.Venue }, caller, "wallet");
    }

    [Theory]
    [InlineData("VIEWER")]
    [InlineData("CASHIER")]
    [InlineData("ADMIN")]
    public async Task Venue_b_staff_cannot_read_venue_a_history(string role)
    {
        var (a, b, _) = await TwoVenuesAsync();
        var staff = await silo.StaffAsync(b.Venue, role);

        await AssertRefusedAsync(HistoryAt, new { w = await a.VenueWalletAsync(), v = b.Venue }, staff, "transactions");
        await AssertRefusedAsync(HistoryAt, new { w = CashlessNetwork.Fed, v = b.Venue }, staff, "transactions");
        await AssertRefusedAsync(History, new { v = a.Venue }, staff, "transactions");
    }

    [Fact]
    public async Task A_venue_reads_its_own_wallet_and_customer_wallets()
    {
        var (a, _, card) = await TwoVenuesAsync();
        var viewer = await silo.StaffAsync(a.Venue, "VIEWER");

        var own = await silo.PostAsync(WalletAt, new { w = await a.VenueWalletAsync(), v = a.Venue }, viewer);
        var customer = await silo.PostAsync(WalletAt, new { w = await a.WalletOfAsync(card), v = a.Venue }, viewer);

        Assert.Equal(new Dictionary<string, long> { [CashlessNetwork.Fed] = 500 }, CashlessNetwork.Balances(own.Data()["wallet"]!["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [CashlessNetwork.Fed] = 1_500 }, CashlessNetwork.Balances(customer.Data()["wallet"]!["balances"]!));
    }

    [Fact]
    public async Task A_balance_tap_shows_only_this_venue_movements()
    {
        var (a, b, card) = await TwoVenuesAsync();
        Assert.True((await b.PayAsync(card, 200, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        var device = await DeviceOfAsync(b);
        const string Tap = "mutation($u: String!, $t: String!) { tap(input: { readerName: \"r\", uid: $u, tapId: $t }) { outcome transactions { venueId amount } } }";
        Assert.Equal("TILL_OPENED", (await silo.PostAsync(Tap, new { u = b.Cashier, t = CashlessNetwork.NewKey() }, device)).Data()["tap"]!["outcome"]!.GetValue<string>());

        var balance = (await silo.PostAsync(Tap, new { u = card, t = CashlessNetwork.NewKey() }, device)).Data()["tap"]!;

        Assert.Equal("BALANCE", balance["outcome"]!.GetValue<string>());
        var movements = balance["transactions"]!.AsArray();
        Assert.Equal([(b.Venue, -200L)], movements.Select(m => (m!["venueId"]?.GetValue<string>(), m["amount"]!.GetValue<long>())).ToArray());
        Assert.DoesNotContain(a.Venue, balance.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_without_a_role_anywhere_cannot_read_a_card()
    {
        var (_, _, card) = await TwoVenuesAsync();
        var user = await silo.UserAsync();

        await AssertRefusedAsync(Card, new { u = card }, user.Bearer, "card");
    }

    [Fact]
    public async Task A_customer_reads_their_own_card_only()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var mine = await net.FundedCardAsync(300);
        var someoneElse = await net.FundedCardAsync(300);
        var email = $"customer-{Guid.NewGuid():N}@test.localhost";
        (await silo.PostAsync("mutation($k: String!, $q: String!) { linkMyCard(input: {idempotencyKey: $k, qrId: $q}) { userWalletId } }",
            new { k = CashlessNetwork.NewKey(), q = "qr-" + mine }, "Bearer " + silo.Services.GetRequiredService<TokenIssuer>().IssueCustomer(EmailAddress.Parse(email)).Token)).Data();
        var customer = "Bearer " + silo.Services.GetRequiredService<TokenIssuer>().IssueCustomer(EmailAddress.Parse(email)).Token;

        var own = await silo.PostAsync(Card, new { u = mine }, customer);

        Assert.Equal(mine, own.Data()["card"]!["uid"]!.GetValue<string>());
        await AssertRefusedAsync(Card, new { u = someoneElse }, customer, "card");
        await AssertRefusedAsync(Card, new { u = CashlessNetwork.NewUid() }, customer, "card");
    }
}

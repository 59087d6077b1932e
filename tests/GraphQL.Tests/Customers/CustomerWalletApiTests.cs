using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Customers;

[Collection(SiloCollection.Name)]
public sealed class CustomerWalletApiTests(TestFieldsSiloFixture silo)
{
    private const string Transfer =
        "mutation($i: TransferFromMyWalletInput!) { transferFromMyWallet(input: $i) { approved reason operationId movements { assetId amount toWalletId } balances { assetId amount } } }";

    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@test.localhost";

    /// <summary>A customer whose e-mail a card holding <paramref name="cents"/> of TLF was linked to: (network, card, "Bearer …").</summary>
    private async Task<(CashlessNetwork Net, string Card, string Email, string Bearer)> CustomerWithMoneyAsync(long cents)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(cents);
        var email = NewEmail();
        var bearer = await silo.CustomerTokenAsync(email);
        (await silo.PostAsync("mutation($k: String!, $q: String!) { linkMyCard(input: {idempotencyKey: $k, qrId: $q}) { userWalletId } }",
            new { k = CashlessNetwork.NewKey(), q = "qr-" + card }, bearer)).Data();
        return (net, card, email, bearer);
    }

    [Fact]
    public async Task A_customer_reads_their_own_wallet_cards_and_history()
    {
        var (net, card, _, bearer) = await CustomerWithMoneyAsync(1000);
        // Once identified, the card's top-ups land in the customer's own wallet.
        (await net.RefillAsync(card, 200, CashlessNetwork.NewKey())).Data();

        var data = (await silo.PostAsync("{ myWallet { id balances { assetId amount } } myCards { uid state } myHistory(first: 1) { items { kind amount } hasNextPage endCursor } }",
            null, bearer)).Data();

        Assert.Equal(1200, CashlessNetwork.Balances(data["myWallet"]!["balances"]!)[net.Tlf]);
        Assert.Equal(await net.WalletOfAsync(card), data["myWallet"]!["id"]!.GetValue<string>());
        Assert.Equal(card, Assert.Single(data["myCards"]!.AsArray())!["uid"]!.GetValue<string>());
        Assert.Equal("IDENTIFIED", data["myCards"]![0]!["state"]!.GetValue<string>());
        var first = Assert.Single(data["myHistory"]!["items"]!.AsArray())!;
        Assert.Equal("REFILL", first["kind"]!.GetValue<string>());
        Assert.True(data["myHistory"]!["hasNextPage"]!.GetValue<bool>());

        var next = (await silo.PostAsync("query($a: String!) { myHistory(first: 10, after: $a) { items { kind amount } hasNextPage } }",
            new { a = data["myHistory"]!["endCursor"]!.GetValue<string>() }, bearer)).Data()["myHistory"]!;
        Assert.Equal("FUSION", Assert.Single(next["items"]!.AsArray())!["kind"]!.GetValue<string>());
        Assert.False(next["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_customer_without_a_wallet_reads_nothing()
    {
        var bearer = await silo.CustomerTokenAsync(NewEmail());

        var data = (await silo.PostAsync("{ myWallet { id } myCards { uid } myHistory { items { kind } hasNextPage } }", null, bearer)).Data();

        Assert.Null(data["myWallet"]);
        Assert.Empty(data["myCards"]!.AsArray());
        Assert.Empty(data["myHistory"]!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_customer_sends_money_to_an_email_once_per_key()
    {
        var (net, _, _, bearer) = await CustomerWithMoneyAsync(1000);
        var recipient = NewEmail();
        var input = new { idempotencyKey = "gift-1", toEmail = recipient, assetId = net.Tlf, amount = 300L };
        var before = await silo.LedgerRowsAsync();

        var first = (await silo.PostAsync(Transfer, new { i = input }, bearer)).Data()["transferFromMyWallet"]!;
        var replay = (await silo.PostAsync(Transfer, new { i = input }, bearer)).Data()["transferFromMyWallet"]!;

        Assert.True(first["approved"]!.GetValue<bool>());
        Assert.Equal(first["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal(700, CashlessNetwork.Balances(first["balances"]!)[net.Tlf]);
        var theirs = (await silo.PostAsync("{ myWallet { balances { assetId amount } } }", null, await silo.CustomerTokenAsync(recipient))).Data();
        Assert.Equal(300, CashlessNetwork.Balances(theirs["myWallet"]!["balances"]!)[net.Tlf]);
        Assert.Equal(before + 1, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task Two_customers_may_use_the_same_key()
    {
        var (net, _, _, alice) = await CustomerWithMoneyAsync(500);
        var (_, bobCard, _, bob) = await CustomerWithMoneyAsync(500);
        const string key = "same-key";

        var fromAlice = (await silo.PostAsync(Transfer, new { i = new { idempotencyKey = key, toCardUid = bobCard, assetId = net.Tlf, amount = 100L } }, alice)).Data();
        var fromBob = (await silo.PostAsync(Transfer, new { i = new { idempotencyKey = key, toEmail = NewEmail(), assetId = net.Tlf, amount = 50L } }, bob)).Data();

        Assert.True(fromAlice["transferFromMyWallet"]!["approved"]!.GetValue<bool>());
        Assert.True(fromBob["transferFromMyWallet"]!["approved"]!.GetValue<bool>());
        Assert.NotEqual(fromAlice["transferFromMyWallet"]!["operationId"]!.GetValue<string>(), fromBob["transferFromMyWallet"]!["operationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_transfer_beyond_the_balance_is_declined_and_moves_nothing()
    {
        var (net, _, _, bearer) = await CustomerWithMoneyAsync(200);
        var before = await silo.LedgerRowsAsync();

        var result = (await silo.PostAsync(Transfer, new { i = new { idempotencyKey = "too-much", toEmail = NewEmail(), assetId = net.Tlf, amount = 500L } }, bearer))
            .Data()["transferFromMyWallet"]!;

        Assert.False(result["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", result["reason"]!.GetValue<string>());
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_customer_without_a_wallet_cannot_transfer()
    {
        var bearer = await silo.CustomerTokenAsync(NewEmail());
        var before = await silo.LedgerRowsAsync();

        var response = await silo.PostAsync(Transfer, new { i = new { idempotencyKey = "k", toEmail = NewEmail(), assetId = CashlessNetwork.Fed, amount = 1L } }, bearer);

        Assert.Equal("NOT_FOUND", response.ErrorCode());
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task Staff_tokens_cannot_use_the_customer_transfer()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var response = await silo.PostAsync(Transfer, new { i = new { idempotencyKey = "k", toEmail = NewEmail(), assetId = net.Tlf, amount = 1L } }, net.Admin);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Theory]
    [InlineData("{ transactions { items { id } } }")]
    [InlineData("{ verifyLedger { clean } }")]
    [InlineData("{ card(uid: \"04CA5E01\") { uid } }")]
    [InlineData("mutation { createUser(email: \"x@test.localhost\", secret: \"secret-0123456789\") { userId } }")]
    [InlineData("mutation { transfer(idempotencyKey: \"k\", fromWalletId: \"00000000-0000-0000-0000-000000000001\", toWalletId: \"00000000-0000-0000-0000-000000000002\", assetId: \"00000000-0000-0000-0000-000000000003\", amount: 1) { approved } }")]
    public async Task A_customer_is_forbidden_staff_and_admin_fields(string query)
    {
        var bearer = await silo.CustomerTokenAsync(NewEmail());
        var before = await silo.LedgerRowsAsync();

        var response = await silo.PostAsync(query, null, bearer);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_customer_reads_another_wallet_only_as_forbidden()
    {
        var (net, otherCard, _, _) = await CustomerWithMoneyAsync(100);
        var bearer = await silo.CustomerTokenAsync(NewEmail());

        var everyAsset = await silo.PostAsync("query($u: String!) { wallet(cardUid: $u) { id } }", new { u = otherCard }, bearer);
        var asVenue = await silo.PostAsync("query($u: String!, $v: ID!) { wallet(cardUid: $u, venueId: $v) { id } }", new { u = otherCard, v = net.Venue }, bearer);

        Assert.Equal("FORBIDDEN", everyAsset.ErrorCode());
        Assert.Equal("FORBIDDEN", asVenue.ErrorCode());
    }
}

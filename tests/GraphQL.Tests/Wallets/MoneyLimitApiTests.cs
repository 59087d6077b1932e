using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Wallets;

/// <summary>
/// What one credential can do: amounts over <c>MoneyLimitsOptions</c> are refused before anything runs, and a device
/// moves money only through <c>tap</c>. Each refusal also checks that nothing was written.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class MoneyLimitApiTests(TestFieldsSiloFixture silo)
{
    private const long MaxTopUp = 1_000_000;
    private const long MaxSale = 1_000_000;
    private const long MaxTransfer = 10_000_000;

    private const string Refund =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long) { refund(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a) { approved } }";

    private const string Badge =
        "mutation($k: String!, $v: ID!, $card: String!, $asset: ID!) { badge(idempotencyKey: $k, venueId: $v, cardUid: $card, assetId: $asset) { approved } }";

    private const string Pending = "query($v: ID!) { pointOfSale(venueId: $v, pointOfSaleId: \"bar\") { pendingRequest { kind } } }";

    private async Task<string> DeviceAsync(CashlessNetwork net) =>
        "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"r\") { key } }", new { v = net.Venue }, net.Admin))
            .Data()["registerDevice"]!["key"]!.GetValue<string>();

    [Fact]
    public async Task A_top_up_up_to_the_limit_is_approved()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var refill = await net.RefillAsync(card, MaxTopUp, CashlessNetwork.NewKey());

        Assert.True(refill.Data()["refill"]!["approved"]!.GetValue<bool>());
        Assert.Equal(MaxTopUp, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_top_up_over_the_limit_is_bad_user_input_and_writes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var rows = await silo.LedgerRowsAsync();

        var refill = await net.RefillAsync(card, MaxTopUp + 1, CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", refill.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
    }

    [Theory]
    [InlineData(2, 500_001)]
    [InlineData(1_000_000, long.MaxValue / 10)]
    public async Task A_sale_whose_basket_is_over_the_limit_is_bad_user_input_and_writes_nothing(int quantity, long unitPrice)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(MaxSale);
        var rows = await silo.LedgerRowsAsync();

        var pay = await net.PayAsync(card, unitPrice, quantity, CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", pay.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(MaxSale, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_cash_refund_over_the_limit_is_bad_user_input_and_writes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1_000);
        var rows = await silo.LedgerRowsAsync();

        var refund = await silo.PostAsync(Refund, new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, a = 1_000_001L }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", refund.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(1_000, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Issue_transfer_and_correct_over_the_limit_are_bad_user_input_and_write_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var from = await net.WalletOfAsync(await net.FundedCardAsync(1_000));
        var to = await net.WalletOfAsync(await net.FundedCardAsync(1_000));
        var rows = await silo.LedgerRowsAsync();

        var issue = await silo.PostAsync("mutation($k: String!, $w: ID!, $a: ID!, $n: Long!) { issue(idempotencyKey: $k, walletId: $w, assetId: $a, amount: $n) { approved } }",
            new { k = CashlessNetwork.NewKey(), w = to, a = CashlessNetwork.Fed, n = MaxTransfer + 1 }, net.Admin);
        var transfer = await silo.PostAsync("mutation($k: String!, $f: ID!, $t: ID!, $a: ID!, $n: Long!) { transfer(idempotencyKey: $k, fromWalletId: $f, toWalletId: $t, assetId: $a, amount: $n) { approved } }",
            new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = MaxTransfer + 1 }, net.Admin);
        var correct = await silo.PostAsync("mutation($k: String!, $w: ID!, $a: ID!, $n: Long!) { correct(idempotencyKey: $k, walletId: $w, assetId: $a, amount: $n, credit: true, reason: \"typo\") { approved } }",
            new { k = CashlessNetwork.NewKey(), w = to, a = net.Tlf, n = MaxTransfer + 1 }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", issue.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", transfer.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", correct.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_payment_or_top_up_request_over_the_limit_is_bad_user_input_and_leaves_the_till_as_it_was()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var payment = await silo.PostAsync("mutation($v: ID!) { requestPayment(input: { venueId: $v, pointOfSaleId: \"bar\", amount: 1000001 }) { name } }", new { v = net.Venue }, net.Admin);
        var basket = await silo.PostAsync("mutation($v: ID!) { requestPayment(input: { venueId: $v, pointOfSaleId: \"bar\", lines: [{ label: \"x\", quantity: 3, unitPrice: 400000 }] }) { name } }",
            new { v = net.Venue }, net.Admin);
        var topUp = await silo.PostAsync("mutation($v: ID!) { requestTopUp(input: { venueId: $v, pointOfSaleId: \"bar\", amount: 1000001, means: CASH }) { name } }", new { v = net.Venue }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", payment.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", basket.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", topUp.ErrorCode());
        Assert.Null((await silo.PostAsync(Pending, new { v = net.Venue }, net.Admin)).Data()["pointOfSale"]!["pendingRequest"]);
    }

    [Fact]
    public async Task A_device_cannot_pay_refill_or_badge_directly_and_nothing_is_written()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (badgeAsset, _) = await net.AddAssetAsync("BDG");
        var card = await net.FundedCardAsync(1_000);
        var device = await DeviceAsync(net);
        var rows = await silo.LedgerRowsAsync();

        var pay = await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey(), authorization: device);
        var refill = await net.RefillAsync(card, 100, CashlessNetwork.NewKey(), authorization: device);
        var badge = await silo.PostAsync(Badge, new { k = CashlessNetwork.NewKey(), v = net.Venue, card, asset = badgeAsset }, device);

        Assert.Equal("FORBIDDEN", pay.ErrorCode());
        Assert.Equal("FORBIDDEN", refill.ErrorCode());
        Assert.Equal("FORBIDDEN", badge.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(1_000, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_device_still_sells_through_a_tap_at_its_open_till()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1_000);
        var device = await DeviceAsync(net);
        const string Tap = "mutation($u: String!, $t: String!) { tap(input: { readerName: \"r\", uid: $u, tapId: $t }) { outcome } }";

        Assert.Equal("TILL_OPENED", (await silo.PostAsync(Tap, new { u = net.Cashier, t = CashlessNetwork.NewKey() }, device)).Data()["tap"]!["outcome"]!.GetValue<string>());
        (await silo.PostAsync("mutation($v: ID!) { requestPayment(input: { venueId: $v, pointOfSaleId: \"bar\", amount: 300 }) { name } }", new { v = net.Venue }, device)).Data();
        Assert.Equal("APPROVED", (await silo.PostAsync(Tap, new { u = card, t = CashlessNetwork.NewKey() }, device)).Data()["tap"]!["outcome"]!.GetValue<string>());

        Assert.Equal(700, await net.TlfBalanceAsync(card));
    }
}

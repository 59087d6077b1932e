using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Wallets;

[Collection(SiloCollection.Name)]
public sealed class WalletApiTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_sale_is_approved_debits_the_card_and_replays_with_the_same_key()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        var key = CashlessNetwork.NewKey();

        var first = (await net.PayAsync(card, 350, 2, key)).Data()["pay"]!;
        var replay = (await net.PayAsync(card, 350, 2, key)).Data()["pay"]!;

        Assert.True(first["approved"]!.GetValue<bool>());
        Assert.Equal(700, first["total"]!.GetValue<long>());
        Assert.Equal(first["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal(300, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_a_conflict_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        var key = CashlessNetwork.NewKey();
        await net.PayAsync(card, 100, 1, key);

        var response = await net.PayAsync(card, 200, 1, key);

        Assert.Equal("CONFLICT", response.ErrorCode());
        Assert.Equal(900, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Another_venue_using_the_same_key_text_is_neither_blocked_nor_told_anything()
    {
        var first = await CashlessNetwork.CreateAsync(silo.Client);
        var second = await CashlessNetwork.CreateAsync(silo.Client);
        var firstCard = await first.FundedCardAsync(1000);
        var secondCard = await second.FundedCardAsync(1000);
        var key = CashlessNetwork.NewKey();
        var firstSale = (await first.PayAsync(firstCard, 100, 1, key)).Data()["pay"]!;

        var secondSale = (await second.PayAsync(secondCard, 200, 1, key)).Data()["pay"]!;
        var secondReplay = (await second.PayAsync(secondCard, 200, 1, key)).Data()["pay"]!;
        var secondChanged = await second.PayAsync(secondCard, 300, 1, key);
        var firstReplay = (await first.PayAsync(firstCard, 100, 1, key)).Data()["pay"]!;

        Assert.True(secondSale["approved"]!.GetValue<bool>());
        Assert.NotEqual(firstSale["operationId"]!.GetValue<string>(), secondSale["operationId"]!.GetValue<string>());
        Assert.Equal(secondSale["operationId"]!.GetValue<string>(), secondReplay["operationId"]!.GetValue<string>());
        Assert.Equal(firstSale["operationId"]!.GetValue<string>(), firstReplay["operationId"]!.GetValue<string>());
        Assert.Equal("CONFLICT", secondChanged.ErrorCode());
        Assert.Equal(900, await first.TlfBalanceAsync(firstCard));
        Assert.Equal(800, await second.TlfBalanceAsync(secondCard));
    }

    [Fact]
    public async Task Insufficient_funds_decline_as_data_and_move_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var before = await silo.LedgerRowsAsync();

        var pay = (await net.PayAsync(card, 800, 1, CashlessNetwork.NewKey())).Data()["pay"]!;

        Assert.False(pay["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", pay["reason"]!.GetValue<string>());
        Assert.Equal(300, pay["shortfall"]!.GetValue<long>());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_blank_label_is_refused_by_pay_and_by_requestPayment_alike()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var before = await silo.LedgerRowsAsync();
        const string Lines = "[{ label: \" \", quantity: 1, unitPrice: 100 }]";

        var pay = await silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: " + Lines + ") { approved } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card }, net.Admin);
        var request = await silo.PostAsync(
            "mutation($v: ID!) { requestPayment(input: { venueId: $v, pointOfSaleId: \"bar\", lines: " + Lines + " }) { name } }", new { v = net.Venue }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", pay.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", request.ErrorCode());
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_negative_amount_is_bad_user_input_and_writes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var before = await silo.LedgerRowsAsync();

        var refill = await net.RefillAsync(card, -100, CashlessNetwork.NewKey());
        var pay = await net.PayAsync(card, -100, 1, CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", refill.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", pay.ErrorCode());
        Assert.Equal(before, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task An_amount_beyond_64_bits_is_refused_by_validation()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);

        var response = await silo.PostAsync(
            "mutation($card: String!, $v: ID!, $c: String!) { refill(idempotencyKey: \"k-overflow\", venueId: $v, cashierUid: $c, cardUid: $card, amount: 99999999999999999999, means: CASH) { approved } }",
            new { card, v = net.Venue, c = net.Cashier }, net.Admin);

        Assert.Equal("ARGUMENTS_OF_CORRECT_TYPE", response.ErrorCode());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_basket_whose_total_overflows_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);

        var response = await net.PayAsync(card, long.MaxValue / 2, 3, CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal(500, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task An_unknown_card_is_unknown_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var response = await net.PayAsync(CashlessNetwork.NewUid(), 100, 1, CashlessNetwork.NewKey());

        Assert.Equal("UNKNOWN_CARD", response.ErrorCode());
    }

    [Fact]
    public async Task A_malformed_uid_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var response = await net.PayAsync("not-hex!", 100, 1, CashlessNetwork.NewKey());

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
    }

    [Fact]
    public async Task A_card_that_is_not_a_cashier_card_of_the_venue_cannot_sell()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        var notCashier = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var response = await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey(), cashier: notCashier);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(1000, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_cashier_of_another_venue_cannot_sell_here()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await here.FundedCardAsync(1000);

        var response = await here.PayAsync(card, 100, 1, CashlessNetwork.NewKey(), cashier: elsewhere.Cashier);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task Selling_needs_a_signed_in_caller()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);

        var response = await silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: [{label: \"x\", quantity: 1, unitPrice: 100}]) { approved } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card });

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
        Assert.Equal(1000, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_device_of_another_venue_cannot_sell_here()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await here.FundedCardAsync(1000);
        var key = (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"r\") { key } }", new { v = elsewhere.Venue }, here.Admin))
            .Data()["registerDevice"]!["key"]!.GetValue<string>();

        var response = await here.PayAsync(card, 100, 1, CashlessNetwork.NewKey(), authorization: "Device " + key);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task An_overlong_idempotency_key_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);

        var response = await net.PayAsync(card, 100, 1, new string('k', 256));

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
    }

    [Fact]
    public async Task The_ledger_verifies_clean_through_the_api()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        await net.PayAsync(card, 250, 1, CashlessNetwork.NewKey());

        var verification = (await silo.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", authorization: net.Admin)).Data()["verifyLedger"]!;

        Assert.True(verification["clean"]!.GetValue<bool>(), verification.ToJsonString());
    }

    [Fact]
    public async Task History_pages_by_venue_newest_first()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey());
        await net.PayAsync(card, 200, 1, CashlessNetwork.NewKey());

        const string query = "query($v: ID!, $after: String) { transactions(venueId: $v, kind: SALE, first: 1, after: $after) { items { amount cardUid } endCursor hasNextPage } }";
        var page1 = (await silo.PostAsync(query, new { v = net.Venue, after = (string?)null }, net.Admin)).Data()["transactions"]!;
        var page2 = (await silo.PostAsync(query, new { v = net.Venue, after = page1["endCursor"]!.GetValue<string>() }, net.Admin)).Data()["transactions"]!;

        Assert.Equal(200, page1["items"]![0]!["amount"]!.GetValue<long>());
        Assert.True(page1["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(100, page2["items"]![0]!["amount"]!.GetValue<long>());
        Assert.False(page2["hasNextPage"]!.GetValue<bool>());
    }
}

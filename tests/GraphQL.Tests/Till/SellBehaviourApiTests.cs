using System.Text.Json.Nodes;
using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Till;

/// <summary>Top-ups, memberships, deposits, emptying a card and badges sold through <c>sell</c>, each checked in the ledger.</summary>
[Collection(SiloCollection.Name)]
public sealed class SellBehaviourApiTests(TestFieldsSiloFixture silo)
{
    private const string OperationOf = "SELECT kind FROM ledger_operations WHERE operation_id = $1::uuid";

    private const string ExternalOf = "SELECT external_amount FROM ledger_operations WHERE operation_id = $1::uuid";

    private const string LineKindsOf = "SELECT string_agg(kind || ':' || ledger_kind || ':' || means || ':' || amount, ',' ORDER BY line_id) FROM sale_lines WHERE operation_id = $1::uuid";

    [Fact]
    public async Task A_top_up_product_credits_its_asset_to_the_card_as_a_ledger_top_up_paid_in_cash()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Top-ups", 0);
        var ten = await ProductAsync(net, cat, "Top-up 10", 1000, "TOP_UP", assetId: net.Tlf);
        var any = await ProductAsync(net, cat, "Top-up", 0, "TOP_UP", assetId: net.Tlf, position: 2);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var sold = (await SellAsync(net, [Line(ten, 2)], card, "CASH")).Data()["sell"]!;
        var typed = (await SellAsync(net, [Line(any, 1, 250)], card, "BANK_CARD")).Data()["sell"]!;
        var op = sold["operationId"]!.GetValue<string>();

        Assert.True(sold["approved"]!.GetValue<bool>());
        Assert.Equal(2000, sold["total"]!.GetValue<long>());
        Assert.Equal(2250, await net.TlfBalanceAsync(card));
        Assert.Equal(1, await silo.ScalarAsync(OperationOf, op));
        Assert.Equal(2000, await silo.ScalarAsync(ExternalOf, op));
        Assert.Equal("1:1:1:2000", await silo.ScalarTextAsync(LineKindsOf, op));
        Assert.Equal("1:1:2:250", await silo.ScalarTextAsync(LineKindsOf, typed["operationId"]!.GetValue<string>()));
        await AssertReportMatchesAsync(net);
    }

    [Fact]
    public async Task Top_ups_need_a_card_cash_or_bank_card_one_asset_and_a_basket_of_their_own()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Mixed", 0);
        var topUp = await ProductAsync(net, cat, "Top-up", 1000, "TOP_UP", assetId: net.Tlf);
        var gift = await ProductAsync(net, cat, "Gift", 500, "TOP_UP", assetId: net.Tnf, position: 2);
        var beer = await ProductAsync(net, cat, "Beer", 350, position: 3);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var rows = await silo.LedgerRowsAsync();

        Assert.Equal("CARD_REQUIRED", (await SellAsync(net, [Line(topUp, 1)], complement: "CASH")).ErrorCode());
        Assert.Equal("BASKET_MIXES_BEHAVIOURS", (await SellAsync(net, [Line(topUp, 1), Line(beer, 1)], card, "CASH")).ErrorCode());
        Assert.Equal("WRONG_ASSET", (await SellAsync(net, [Line(topUp, 1), Line(gift, 1)], card, "CASH")).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(topUp, 1)], card)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(topUp, 1, 700)], card, "CASH")).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(topUp, 2000)], card, "CASH")).ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_membership_product_extends_the_card_holder_s_membership_and_its_line_is_stored_with_the_sale()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var membership = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = net.Venue, name = "Adhésion", duration = "CALENDAR_YEAR", price = 1500L } }, net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        var cat = await CategoryAsync(net, "Memberships", 0);
        var beer = await ProductAsync(net, cat, "Beer", 350);
        var missing = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Adhésion", behaviour = "MEMBERSHIP" } }, net.Admin);
        var product = (await silo.PostAsync(SaveProduct, new
        {
            i = new
            {
                venueId = net.Venue, categoryId = cat, name = "Adhésion", behaviour = "MEMBERSHIP", membershipProductId = membership,
                placements = new[] { new { pointOfSaleId = "bar", price = 1500L, position = 2 } },
            },
        }, net.Admin)).Data()["saveProduct"]!["id"]!.GetValue<string>();
        var card = await net.FundedCardAsync(2000);
        var key = CashlessNetwork.NewKey();

        var sold = (await SellAsync(net, [Line(product, 1), Line(beer, 1)], card, key: key)).Data()["sell"]!;
        var again = (await SellAsync(net, [Line(product, 1), Line(beer, 1)], card, key: key)).Data()["sell"]!;
        var part = (await SellAsync(net, [Line(product, 1)], await net.FundedCardAsync(100), "CASH")).Data()["sell"]!;
        var status = (await silo.PostAsync("query($v: ID!, $c: String!) { membership(venueId: $v, cardUid: $c) { state validUntil } }",
            new { v = net.Venue, c = card }, net.Admin)).Data()["membership"]!;
        var op = sold["operationId"]!.GetValue<string>();

        Assert.Equal("BAD_USER_INPUT", missing.ErrorCode());
        Assert.Equal("CARD_REQUIRED", (await SellAsync(net, [Line(product, 1)], complement: "CASH")).ErrorCode());
        Assert.True(sold["approved"]!.GetValue<bool>());
        Assert.Equal(op, again["operationId"]!.GetValue<string>());
        Assert.Equal(150, await net.TlfBalanceAsync(card));
        Assert.Equal("VALID", status["state"]!.GetValue<string>());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM membership_purchases WHERE operation_id = $1::uuid", op));
        Assert.Equal(1500, await silo.ScalarAsync("SELECT amount FROM sale_lines WHERE operation_id = $1::uuid AND kind = 6", op));
        Assert.Equal(1400, part["paidExternally"]!.GetValue<long>());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM membership_purchases WHERE operation_id = $1::uuid", part["operationId"]!.GetValue<string>()));
        await AssertReportMatchesAsync(net);
    }

    [Fact]
    public async Task A_membership_paid_wholly_in_cash_with_an_empty_card_naming_the_holder_is_approved_and_the_card_keeps_its_balance()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await MembershipProductAsync(net, 1500);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var key = CashlessNetwork.NewKey();

        var declined = (await SellAsync(net, [Line(product, 1)], card, "CASH")).Data()["sell"]!;
        var sold = (await SellAsync(net, [Line(product, 1)], card, "CASH", key: key, cardPays: false)).Data()["sell"]!;
        var again = (await SellAsync(net, [Line(product, 1)], card, "CASH", key: key, cardPays: false)).Data()["sell"]!;
        var bank = (await SellAsync(net, [Line(product, 1)], card, "BANK_CARD", cardPays: false)).Data()["sell"]!;
        var status = (await silo.PostAsync("query($v: ID!, $c: String!) { membership(venueId: $v, cardUid: $c) { state validUntil } }",
            new { v = net.Venue, c = card }, net.Admin)).Data()["membership"]!;
        var op = sold["operationId"]!.GetValue<string>();

        Assert.False(declined["approved"]!.GetValue<bool>());
        Assert.True(sold["approved"]!.GetValue<bool>());
        Assert.Equal(0, sold["paidByCard"]!.GetValue<long>());
        Assert.Equal(1500, sold["paidExternally"]!.GetValue<long>());
        Assert.Equal("CASH", sold["externalMeans"]!.GetValue<string>());
        Assert.Equal(op, again["operationId"]!.GetValue<string>());
        Assert.True(bank["approved"]!.GetValue<bool>());
        Assert.Equal("BANK_CARD", bank["externalMeans"]!.GetValue<string>());
        Assert.Equal(0, await net.TlfBalanceAsync(card));
        Assert.Equal("VALID", status["state"]!.GetValue<string>());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM membership_purchases WHERE operation_id = $1::uuid", op));
        Assert.Equal(1500, await silo.ScalarAsync(ExternalOf, op));
        Assert.Equal(card, await silo.ScalarTextAsync("SELECT card_uid FROM sale_lines WHERE operation_id = $1::uuid AND kind = 6", op), ignoreCase: true);
        await AssertReportMatchesAsync(net);
    }

    [Fact]
    public async Task A_card_that_does_not_pay_must_be_tapped_and_the_basket_paid_in_cash_or_by_bank_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var product = await MembershipProductAsync(net, 1500);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var other = await net.FundedCardAsync(2000);
        var rows = await silo.LedgerRowsAsync();

        Assert.Equal("CARD_REQUIRED", (await SellAsync(net, [Line(product, 1)], complement: "CASH", cardPays: false)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(product, 1)], card, cardPays: false)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(product, 1)], card, "SECOND_CARD", other, cardPays: false)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(product, 1)], card, "ONLINE", cardPays: false)).ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    private async Task<string> MembershipProductAsync(CashlessNetwork net, long price)
    {
        var membership = (await silo.PostAsync("mutation($i: CreateMembershipProductInput!) { createMembershipProduct(input: $i) { id } }",
            new { i = new { venueId = net.Venue, name = "Adhésion", duration = "CALENDAR_YEAR", price } }, net.Admin)).Data()["createMembershipProduct"]!["id"]!.GetValue<string>();
        var cat = await CategoryAsync(net, "Memberships", 0);
        return (await silo.PostAsync(SaveProduct, new
        {
            i = new
            {
                venueId = net.Venue, categoryId = cat, name = "Adhésion", behaviour = "MEMBERSHIP", membershipProductId = membership,
                placements = new[] { new { pointOfSaleId = "bar", price, position = 1 } },
            },
        }, net.Admin)).Data()["saveProduct"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_deposit_alone_goes_back_onto_the_card_or_in_cash_and_within_a_sale_it_is_netted()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Cups", 2000);
        var cup = await ProductAsync(net, cat, "Cup back", 100, "DEPOSIT_RETURN");
        var beer = await ProductAsync(net, cat, "Beer", 350, position: 2);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var onCard = (await SellAsync(net, [Line(cup, 2)], card)).Data()["sell"]!;
        var inCash = (await SellAsync(net, [Line(cup, 3)], complement: "CASH")).Data()["sell"]!;
        var netted = (await SellAsync(net, [Line(beer, 1), Line(cup, 1)], complement: "CASH")).Data()["sell"]!;
        var cardOp = onCard["operationId"]!.GetValue<string>();
        var cashOp = inCash["operationId"]!.GetValue<string>();

        Assert.Equal(-200, onCard["total"]!.GetValue<long>());
        Assert.Equal(200, await net.TlfBalanceAsync(card));
        Assert.Equal(1, await silo.ScalarAsync(OperationOf, cardOp));
        Assert.Equal("3:1:0:-200", await silo.ScalarTextAsync(LineKindsOf, cardOp));
        Assert.Equal(-300, inCash["paidExternally"]!.GetValue<long>());
        Assert.Equal(3, await silo.ScalarAsync(OperationOf, cashOp));
        Assert.Equal(300, await silo.ScalarAsync(ExternalOf, cashOp));
        Assert.Equal(250, netted["paidExternally"]!.GetValue<long>());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(cup, 1)], card, "CASH")).ErrorCode());
        var report = await AssertReportMatchesAsync(net);
        Assert.Equal(250 - 300, report["cashExpected"]!.GetValue<long>());
    }

    [Fact]
    public async Task Emptying_a_card_refunds_what_is_refundable_here_with_the_card_s_printed_secret()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Counter", 0);
        var empty = await ProductAsync(net, cat, "Empty the card", 0, "EMPTY_CARD");
        var beer = await ProductAsync(net, cat, "Beer", 350, position: 2);
        var card = await net.FundedCardAsync(1500);
        var rows = await silo.LedgerRowsAsync();

        Assert.Equal("CARD_PROOF_REQUIRED", (await SellAsync(net, [Line(empty, 1)], card)).ErrorCode());
        Assert.Equal("CARD_REQUIRED", (await SellAsync(net, [Line(empty, 1)], complement: "CASH")).ErrorCode());
        Assert.Equal("BASKET_MIXES_BEHAVIOURS", (await SellAsync(net, [Line(empty, 1), Line(beer, 1)], card)).ErrorCode());
        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(empty, 2)], card)).ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());

        var emptied = (await silo.PostAsync(Sell, new
        {
            i = new { idempotencyKey = CashlessNetwork.NewKey(), venueId = net.Venue, pointOfSaleId = "bar", cashierUid = net.Cashier, lines = new[] { Line(empty, 1) }, cardUid = card, cardQrId = "qr-" + card },
        }, net.Admin)).Data()["sell"]!;
        var op = emptied["operationId"]!.GetValue<string>();

        Assert.True(emptied["approved"]!.GetValue<bool>());
        Assert.Equal(-1500, emptied["paidExternally"]!.GetValue<long>());
        Assert.Equal(0, await net.TlfBalanceAsync(card));
        Assert.Equal(4, await silo.ScalarAsync(OperationOf, op));
        Assert.Equal("2:4:1:-1500", await silo.ScalarTextAsync(LineKindsOf, op));
        var report = await AssertReportMatchesAsync(net);
        Assert.Equal(1500 - 1500, report["cashExpected"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_badge_product_records_a_badge_without_money()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Staff", 0);
        var badge = await ProductAsync(net, cat, "Clock in", 0, "BADGE");
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        Assert.Equal("WRONG_ASSET", (await SellAsync(net, [Line(badge, 1)], card)).ErrorCode());
        var (bdg, _) = await net.AddAssetAsync("BDG");
        var badged = (await SellAsync(net, [Line(badge, 1)], card)).Data()["sell"]!;
        var op = badged["operationId"]!.GetValue<string>();

        Assert.True(badged["approved"]!.GetValue<bool>());
        Assert.Equal(0, badged["total"]!.GetValue<long>());
        Assert.Equal(7, await silo.ScalarAsync(OperationOf, op));
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM ledger_transactions WHERE operation_id = $1::uuid AND amount = 0 AND asset_id = $2::uuid", op, bdg));
        Assert.Equal("5:7:0:0", await silo.ScalarTextAsync(LineKindsOf, op));
        Assert.Equal("CARD_REQUIRED", (await SellAsync(net, [Line(badge, 1)])).ErrorCode());
        await AssertReportMatchesAsync(net);
    }

    [Fact]
    public async Task A_basket_over_the_instance_s_sale_limit_is_refused_before_anything_is_taken()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Luxury", 2000);
        var car = await ProductAsync(net, cat, "Car", 600_000);
        var rows = await silo.LedgerRowsAsync();

        Assert.Equal("BAD_USER_INPUT", (await SellAsync(net, [Line(car, 2)], complement: "CASH")).ErrorCode());
        Assert.True((await SellAsync(net, [Line(car, 1)], complement: "CASH")).Data()["sell"]!["approved"]!.GetValue<bool>());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    /// <summary>The X report since the beginning matches the ledger; verifyLedger is clean.</summary>
    private async Task<JsonNode> AssertReportMatchesAsync(CashlessNetwork net)
    {
        var report = (await silo.PostAsync("query($v: ID!) { tillReport(venueId: $v) { matchesLedger cashExpected byKind { kind amount } } }", new { v = net.Venue }, net.Admin))
            .Data()["tillReport"]!;
        Assert.True(report["matchesLedger"]!.GetValue<bool>(), report.ToJsonString());
        var verify = (await silo.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", null, net.Admin)).Data()["verifyLedger"]!;
        Assert.True(verify["clean"]!.GetValue<bool>(), verify.ToJsonString());
        return report;
    }
}

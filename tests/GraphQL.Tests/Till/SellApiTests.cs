using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Till;

[Collection(SiloCollection.Name)]
public sealed class SellApiTests(TestFieldsSiloFixture silo)
{
    private const string LinesOf = "SELECT count(*) FROM sale_lines WHERE operation_id = $1::uuid";

    [Fact]
    public async Task A_card_pays_the_till_price_and_every_line_is_stored_with_the_ledger_operation()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 350);
        var juice = await ProductAsync(net, drinks, "Juice", 250, vatRate: 550);
        var card = await net.FundedCardAsync(2000);

        var sold = (await SellAsync(net, [Line(beer, 2), Line(juice, 1)], card)).Data()["sell"]!;
        var op = sold["operationId"]!.GetValue<string>();

        Assert.True(sold["approved"]!.GetValue<bool>());
        Assert.Equal(950, sold["total"]!.GetValue<long>());
        Assert.Equal(1050, await net.TlfBalanceAsync(card));
        Assert.Equal(2, await silo.ScalarAsync(LinesOf, op));
        Assert.Equal(950, await silo.ScalarAsync("SELECT sum(amount) FROM sale_lines WHERE operation_id = $1::uuid AND means = 0 AND asset_id = $2::uuid", op, net.Tlf));
        Assert.Equal(550, await silo.ScalarAsync("SELECT vat_rate FROM sale_lines WHERE operation_id = $1::uuid AND product_name = 'Juice'", op));
    }

    [Fact]
    public async Task A_cash_sale_without_a_card_is_a_ledger_operation_with_external_means_and_its_lines()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 350);
        var key = CashlessNetwork.NewKey();

        var sold = (await SellAsync(net, [Line(beer, 3)], complement: "CASH", key: key)).Data()["sell"]!;
        var again = (await SellAsync(net, [Line(beer, 3)], complement: "CASH", key: key)).Data()["sell"]!;
        var other = await SellAsync(net, [Line(beer, 4)], complement: "CASH", key: key);
        var op = sold["operationId"]!.GetValue<string>();

        Assert.True(sold["approved"]!.GetValue<bool>());
        Assert.Equal(1050, sold["paidExternally"]!.GetValue<long>());
        Assert.Equal(op, again["operationId"]!.GetValue<string>());
        Assert.Equal("CONFLICT", other.ErrorCode());
        Assert.Equal(1050, await silo.ScalarAsync("SELECT external_amount FROM ledger_operations WHERE operation_id = $1::uuid AND external_means = 1", op));
        Assert.Equal(1, await silo.ScalarAsync(LinesOf, op));
        var verify = (await silo.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", null, net.Admin)).Data()["verifyLedger"]!;
        Assert.True(verify["clean"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task A_card_short_of_funds_pays_what_it_holds_and_cash_the_rest_each_line_split_by_means()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 400);
        var card = await net.FundedCardAsync(600);

        var sold = (await SellAsync(net, [Line(beer, 2)], card, "CASH")).Data()["sell"]!;
        var op = sold["operationId"]!.GetValue<string>();

        Assert.Equal(600, sold["paidByCard"]!.GetValue<long>());
        Assert.Equal(200, sold["paidExternally"]!.GetValue<long>());
        Assert.Equal(600, await silo.ScalarAsync("SELECT sum(amount) FROM sale_lines WHERE operation_id = $1::uuid AND means = 0", op));
        Assert.Equal(200, await silo.ScalarAsync("SELECT sum(amount) FROM sale_lines WHERE operation_id = $1::uuid AND means = 1", op));
        Assert.Equal(2, await silo.ScalarAsync("SELECT sum(quantity) FROM sale_lines WHERE operation_id = $1::uuid", op));
    }

    [Fact]
    public async Task Two_cards_pay_one_basket()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 500);
        var first = await net.FundedCardAsync(300);
        var second = await net.FundedCardAsync(1000);

        var sold = (await SellAsync(net, [Line(beer, 1)], first, "SECOND_CARD", second)).Data()["sell"]!;

        Assert.Equal(300, sold["paidByCard"]!.GetValue<long>());
        Assert.Equal(200, sold["paidByComplementCard"]!.GetValue<long>());
        Assert.Equal(800, await net.TlfBalanceAsync(second));
        Assert.Equal(2, await silo.ScalarAsync("SELECT count(DISTINCT card_uid) FROM sale_lines WHERE operation_id = $1::uuid", sold["operationId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_client_never_prices_a_product_and_free_text_is_for_free_price_products_only()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 350);
        var free = await ProductAsync(net, drinks, "Tip", 0, "FREE_PRICE");
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var foreign = await ProductAsync(other, await CategoryAsync(other, "X", 0), "Theirs", 100);

        var priced = await SellAsync(net, [Line(beer, 1, unitPrice: 1)], complement: "CASH");
        var label = await SellAsync(net, [Line(beer, 1, label: "Cheap beer")], complement: "CASH");
        var notHere = await SellAsync(net, [Line(foreign, 1)], complement: "CASH");
        var noPrice = await SellAsync(net, [Line(free, 1)], complement: "CASH");
        var tip = (await SellAsync(net, [Line(free, 1, 250, "Tip for the band")], complement: "CASH")).Data()["sell"]!;

        Assert.Equal("BAD_USER_INPUT", priced.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", label.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", notHere.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", noPrice.ErrorCode());
        Assert.Equal(250, tip["total"]!.GetValue<long>());
        Assert.Equal("Tip for the band", await silo.ScalarTextAsync("SELECT product_name FROM sale_lines WHERE operation_id = $1::uuid", tip["operationId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_deposit_returned_is_netted_from_the_basket()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 350);
        var cup = await ProductAsync(net, drinks, "Cup back", 100, "DEPOSIT_RETURN");
        var card = await net.FundedCardAsync(1000);

        var sold = (await SellAsync(net, [Line(beer, 2), Line(cup, 1)], card)).Data()["sell"]!;

        Assert.Equal(600, sold["total"]!.GetValue<long>());
        Assert.Equal(400, await net.TlfBalanceAsync(card));
        Assert.Equal(-100, await silo.ScalarAsync("SELECT amount FROM sale_lines WHERE operation_id = $1::uuid AND kind = 3", sold["operationId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_product_payable_only_in_time_currency_takes_nothing_else()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (tim, _) = await net.AddAssetAsync("TIM");
        var meals = await CategoryAsync(net, "Meals", 1000);
        var meal = await ProductAsync(net, meals, "Volunteer meal", 500, assetId: tim);
        var card = await net.FundedCardAsync(2000);
        var grant = await silo.PostAsync("mutation($k: String!, $v: ID!, $w: ID!, $a: ID!) { grantTime(idempotencyKey: $k, venueId: $v, walletId: $w, assetId: $a, amount: 500) { approved } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, w = await net.WalletOfAsync(card), a = tim }, net.Admin);

        var paid = (await SellAsync(net, [Line(meal, 1)], card)).Data()["sell"]!;
        var again = (await SellAsync(net, [Line(meal, 1)], card)).Data()["sell"]!;
        var withCash = await SellAsync(net, [Line(meal, 1)], card, "CASH");

        Assert.True(grant.Data()["grantTime"]!["approved"]!.GetValue<bool>(), grant.Body.ToJsonString());
        Assert.True(paid["approved"]!.GetValue<bool>());
        Assert.False(again["approved"]!.GetValue<bool>());
        Assert.Equal(2000, await net.TlfBalanceAsync(card));
        Assert.Equal("BAD_USER_INPUT", withCash.ErrorCode());
    }

    [Fact]
    public async Task Stock_is_exact_under_concurrent_sales_and_never_negative()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 100);
        await SetStockAsync(net, beer, 10);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => SellAsync(net, [Line(beer, 1)], complement: "CASH")));

        Assert.Equal(10, results.Count(r => r.ErrorCodes().Count == 0));
        Assert.Equal(6, results.Count(r => r.ErrorCodes() is ["OUT_OF_STOCK"]));
        Assert.Equal(0, (await MenuAsync(net)).Single()!["stock"]!.GetValue<long>());
        Assert.Equal(10, await silo.ScalarAsync("SELECT count(*) FROM sale_lines WHERE product_id = $1::uuid", beer));
    }

    [Fact]
    public async Task A_declined_sale_gives_its_stock_back()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 500);
        await SetStockAsync(net, beer, 3);
        var card = await net.FundedCardAsync(100);

        var declined = (await SellAsync(net, [Line(beer, 2)], card)).Data()["sell"]!;

        Assert.False(declined["approved"]!.GetValue<bool>());
        Assert.Equal(3, (await MenuAsync(net)).Single()!["stock"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("VIEWER")]
    public async Task Only_cashiers_and_above_sell(string role)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var beer = await ProductAsync(net, drinks, "Beer", 350);
        var staff = await silo.StaffAsync(net.Venue, role);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var otherCashier = await silo.StaffAsync(other.Venue, "CASHIER");
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");

        Assert.Equal("FORBIDDEN", (await SellAsync(net, [Line(beer, 1)], complement: "CASH", auth: staff)).ErrorCode());
        Assert.Equal("FORBIDDEN", (await SellAsync(net, [Line(beer, 1)], complement: "CASH", auth: otherCashier)).ErrorCode());
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(Sell, new { i = new { idempotencyKey = "k", venueId = net.Venue, pointOfSaleId = "bar", cashierUid = net.Cashier, lines = new[] { Line(beer, 1) }, complement = "CASH" } })).ErrorCode());
        Assert.True((await SellAsync(net, [Line(beer, 1)], complement: "CASH", auth: cashier)).Data()["sell"]!["approved"]!.GetValue<bool>());
    }
}

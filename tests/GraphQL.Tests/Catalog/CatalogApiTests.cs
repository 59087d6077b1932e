using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;

namespace TiBillet.GraphQL.Tests.Catalog;

[Collection(SiloCollection.Name)]
public sealed class CatalogApiTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_till_menu_lists_its_products_in_its_order_at_its_prices_with_the_effective_vat_rate()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000, "bar");
        await ProductAsync(net, drinks, "Beer", 350, position: 2);
        await ProductAsync(net, drinks, "Juice", 250, vatRate: 550, position: 1);
        var terrace = await ProductAsync(net, drinks, "Terrace beer", 400, pointOfSale: "terrace");

        var menu = await MenuAsync(net);

        Assert.Equal(["Juice", "Beer"], menu.Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal([250L, 350L], menu.Select(m => m!["price"]!.GetValue<long>()));
        Assert.Equal([550, 2000], menu.Select(m => m!["vatRate"]!.GetValue<int>()));
        Assert.Equal("bar", menu[1]!["station"]!.GetValue<string>());
        Assert.Equal(terrace, (await MenuAsync(net, "terrace")).Single()!["productId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_archived_product_leaves_the_menu_but_stays_in_the_catalog()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var food = await CategoryAsync(net, "Food", 1000, "kitchen");
        var product = await ProductAsync(net, food, "Fries", 400);

        var archived = (await silo.PostAsync("mutation($i: ArchiveProductInput!) { archiveProduct(input: $i) { archived } }",
            new { i = new { venueId = net.Venue, productId = product } }, net.Admin)).Data()["archiveProduct"]!;
        var catalog = (await silo.PostAsync("query($v: ID!) { catalog(venueId: $v, includeArchived: true) { categories { name } products { id archived } } }",
            new { v = net.Venue }, net.Admin)).Data()["catalog"]!;

        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.Empty(await MenuAsync(net));
        Assert.True(catalog["products"]!.AsArray().Single()!["archived"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_product_changed_keeps_its_id_and_its_placements_are_replaced()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var drinks = await CategoryAsync(net, "Drinks", 2000);
        var product = await ProductAsync(net, drinks, "Beer", 350);

        var changed = (await silo.PostAsync(SaveProduct, new
        {
            i = new { venueId = net.Venue, productId = product, categoryId = drinks, name = "Pint", behaviour = "SALE", placements = new[] { new { pointOfSaleId = "bar", price = 600L, position = 1 } } },
        }, net.Admin)).Data()["saveProduct"]!;

        Assert.Equal(product, changed["id"]!.GetValue<string>());
        Assert.Equal(600, (await MenuAsync(net)).Single()!["price"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10001)]
    public async Task A_vat_rate_outside_0_to_10000_basis_points_is_refused(int rate)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var response = await silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, name = "Bad", vatRate = rate } }, net.Admin);
        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
    }

    [Fact]
    public async Task A_top_up_product_needs_a_local_asset_of_the_venue_and_a_sale_may_be_limited_to_an_accepted_asset()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Top-ups", 0);
        var noAsset = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Top-up", behaviour = "TOP_UP" } }, net.Admin);
        var fedTopUp = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Top-up", behaviour = "TOP_UP", assetId = CashlessNetwork.Fed } }, net.Admin);
        var ok = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Gift 10", behaviour = "TOP_UP", assetId = net.Tnf } }, net.Admin);
        var (tim, _) = await net.AddAssetAsync("TIM");
        var timeOnly = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Volunteer meal", behaviour = "SALE", assetId = tim } }, net.Admin);
        var membership = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "Member", behaviour = "MEMBERSHIP" } }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", noAsset.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", fedTopUp.ErrorCode());
        Assert.Equal(net.Tnf, ok.Data()["saveProduct"]!["assetId"]!.GetValue<string>());
        Assert.Equal(tim, timeOnly.Data()["saveProduct"]!["assetId"]!.GetValue<string>());
        Assert.Equal("BAD_USER_INPUT", membership.ErrorCode());
    }

    [Fact]
    public async Task A_category_of_another_venue_is_not_found_and_its_id_cannot_be_taken_over()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var theirs = await CategoryAsync(other, "Theirs", 2000);

        var product = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = theirs, name = "X", behaviour = "SALE" } }, net.Admin);
        var takeover = await silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, categoryId = theirs, name = "Mine", vatRate = 0 } }, net.Admin);

        Assert.Equal("NOT_FOUND", product.ErrorCode());
        Assert.Equal("CONFLICT", takeover.ErrorCode());
    }

    [Fact]
    public async Task A_negative_stock_is_refused_unless_the_product_allows_it()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Drinks", 2000);
        var product = await ProductAsync(net, cat, "Beer", 350);

        var refused = await silo.PostAsync("mutation($i: SetProductStockInput!) { setProductStock(input: $i) { stock } }",
            new { i = new { venueId = net.Venue, productId = product, stock = -1L } }, net.Admin);
        await SetStockAsync(net, product, 12);

        Assert.Equal("BAD_USER_INPUT", refused.ErrorCode());
        Assert.Equal(12, (await MenuAsync(net)).Single()!["stock"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("CASHIER")]
    [InlineData("MANAGER")]
    [InlineData("VIEWER")]
    public async Task Only_a_venue_admin_changes_the_catalog(string role)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cat = await CategoryAsync(net, "Drinks", 2000);
        var staff = await silo.StaffAsync(net.Venue, role);

        var category = await silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, name = "Mine", vatRate = 0 } }, staff);
        var product = await silo.PostAsync(SaveProduct, new { i = new { venueId = net.Venue, categoryId = cat, name = "X", behaviour = "SALE" } }, staff);
        var menu = await silo.PostAsync(Menu, new { v = net.Venue, p = "bar" }, staff);

        Assert.Equal("FORBIDDEN", category.ErrorCode());
        Assert.Equal("FORBIDDEN", product.ErrorCode());
        Assert.NotNull(menu.Data()["menu"]);
    }

    [Fact]
    public async Task An_admin_of_another_venue_and_an_anonymous_caller_are_refused()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var otherAdmin = await silo.StaffAsync(other.Venue, "ADMIN");

        var foreign = await silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, name = "Mine", vatRate = 0 } }, otherAdmin);
        var foreignRead = await silo.PostAsync("query($v: ID!) { catalog(venueId: $v) { products { id } } }", new { v = net.Venue }, otherAdmin);
        var anonymous = await silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, name = "Mine", vatRate = 0 } });

        Assert.Equal("FORBIDDEN", foreign.ErrorCode());
        Assert.Equal("FORBIDDEN", foreignRead.ErrorCode());
        Assert.Equal("UNAUTHENTICATED", anonymous.ErrorCode());
    }
}

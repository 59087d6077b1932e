using System.Text;
using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Ledger;

[Collection(SiloCollection.Name)]
public sealed class LedgerApiTests(TestFieldsSiloFixture silo)
{
    private const string History =
        "query($w: ID, $c: String, $v: ID, $k: TransactionKind, $from: DateTimeOffset, $to: DateTimeOffset, $first: Int, $after: String) { " +
        "transactions(walletId: $w, cardUid: $c, venueId: $v, kind: $k, from: $from, to: $to, first: $first, after: $after) { " +
        "items { id operationId kind assetId amount fromWalletId toWalletId venueId cardUid at } endCursor hasNextPage } }";

    /// <summary>A venue's activity: card A refilled and paying twice, card B refilled and paying once, card A also refilled at another venue.</summary>
    private sealed record Activity(CashlessNetwork Net, CashlessNetwork Elsewhere, string CardA, string CardB, string WalletA, string VenueWallet,
        string RefillA, string SaleA1, string SaleA2, string RefillB, string SaleB, string RefillElsewhere);

    private async Task<Activity> ActivityAsync()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var cardA = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var cardB = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var refillA = await OperationAsync(net.RefillAsync(cardA, 1000, CashlessNetwork.NewKey()), "refill");
        var saleA1 = await OperationAsync(net.PayAsync(cardA, 100, 1, CashlessNetwork.NewKey()), "pay");
        var refillB = await OperationAsync(net.RefillAsync(cardB, 500, CashlessNetwork.NewKey()), "refill");
        var saleB = await OperationAsync(net.PayAsync(cardB, 200, 1, CashlessNetwork.NewKey()), "pay");
        var saleA2 = await OperationAsync(net.PayAsync(cardA, 50, 3, CashlessNetwork.NewKey()), "pay");
        var refillElsewhere = await OperationAsync(elsewhere.RefillAsync(cardA, 700, CashlessNetwork.NewKey()), "refill");
        var walletA = await net.WalletOfAsync(cardA);
        var venueWallet = await net.VenueWalletAsync();
        return new Activity(net, elsewhere, cardA, cardB, walletA, venueWallet, refillA, saleA1, saleA2, refillB, saleB, refillElsewhere);
    }

    private static async Task<string> OperationAsync(Task<GraphQLResponse> call, string field)
    {
        var result = (await call).Data()[field]!;
        Assert.True(result["approved"]!.GetValue<bool>(), result.ToJsonString());
        return result["operationId"]!.GetValue<string>();
    }

    /// <summary>One page; only the variables given are sent, so the others are absent rather than null.</summary>
    private async Task<GraphQLResponse> PageAsync(string authorization, Dictionary<string, object?> variables) =>
        await silo.PostAsync(History, variables, authorization);

    private async Task<JsonArray> RowsAsync(string authorization, Dictionary<string, object?> variables)
    {
        var all = new Dictionary<string, object?>(variables) { ["first"] = 200 };
        var page = (await PageAsync(authorization, all)).Data()["transactions"]!;
        Assert.False(page["hasNextPage"]!.GetValue<bool>());
        return page["items"]!.AsArray();
    }

    private static List<string> Operations(JsonArray rows) => rows.Select(r => r!["operationId"]!.GetValue<string>()).ToList();

    private static List<long> TransactionIds(JsonArray rows) => rows.Select(r => long.Parse(r!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static string Cursor(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    // ---------------------------------------------------------------- filters

    [Fact]
    public async Task The_venue_filter_returns_exactly_the_venues_movements_newest_first()
    {
        var a = await ActivityAsync();

        var rows = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue });

        // One movement per operation here (every sale fits in the TLF), newest first.
        Assert.Equal([a.SaleA2, a.SaleB, a.RefillB, a.SaleA1, a.RefillA], Operations(rows));
        Assert.All(rows, r => Assert.Equal(a.Net.Venue, r!["venueId"]!.GetValue<string>()));
        Assert.Equal(TransactionIds(rows).OrderDescending(), TransactionIds(rows));
        var saleA2 = rows[0]!;
        Assert.Equal("SALE", saleA2["kind"]!.GetValue<string>());
        Assert.Equal(150, saleA2["amount"]!.GetValue<long>());
        Assert.Equal(a.Net.Tlf, saleA2["assetId"]!.GetValue<string>());
        Assert.Equal(a.WalletA, saleA2["fromWalletId"]!.GetValue<string>());
        Assert.Equal(a.VenueWallet, saleA2["toWalletId"]!.GetValue<string>());
        Assert.Equal(a.CardA, saleA2["cardUid"]!.GetValue<string>());
        var refillA = rows[4]!;
        Assert.Equal("REFILL", refillA["kind"]!.GetValue<string>());
        Assert.Equal(1000, refillA["amount"]!.GetValue<long>());
        // Money is created out of the asset's mint, whose wallet id is the asset id.
        Assert.Equal(a.Net.Tlf, refillA["fromWalletId"]!.GetValue<string>());
        Assert.Equal(a.WalletA, refillA["toWalletId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_card_filter_returns_the_cards_movements_at_every_venue_and_combines_with_the_venue_filter()
    {
        var a = await ActivityAsync();

        var everywhere = await RowsAsync(a.Net.Admin, new() { ["c"] = a.CardA });
        var here = await RowsAsync(a.Net.Admin, new() { ["c"] = a.CardA, ["v"] = a.Net.Venue });
        var lowerCase = await RowsAsync(a.Net.Admin, new() { ["c"] = a.CardA.ToLowerInvariant() });

        Assert.Equal([a.RefillElsewhere, a.SaleA2, a.SaleA1, a.RefillA], Operations(everywhere));
        Assert.All(everywhere, r => Assert.Equal(a.CardA, r!["cardUid"]!.GetValue<string>()));
        Assert.Equal([a.SaleA2, a.SaleA1, a.RefillA], Operations(here));
        Assert.Equal(Operations(everywhere), Operations(lowerCase));
    }

    [Fact]
    public async Task The_wallet_filter_returns_movements_from_or_to_the_wallet()
    {
        var a = await ActivityAsync();

        var card = await RowsAsync(a.Net.Admin, new() { ["w"] = a.WalletA });
        var venue = await RowsAsync(a.Net.Admin, new() { ["w"] = a.VenueWallet });

        // Credits (refills) and debits (sales) of the card's wallet, merged newest first.
        Assert.Equal([a.RefillElsewhere, a.SaleA2, a.SaleA1, a.RefillA], Operations(card));
        Assert.All(card, r => Assert.Contains(a.WalletA, new[] { r!["fromWalletId"]!.GetValue<string>(), r["toWalletId"]!.GetValue<string>() }));
        Assert.Equal(TransactionIds(card).OrderDescending(), TransactionIds(card));
        Assert.Equal([a.SaleA2, a.SaleB, a.SaleA1], Operations(venue));
        Assert.All(venue, r => Assert.Equal(a.VenueWallet, r!["toWalletId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_kind_filter_returns_only_that_kind()
    {
        var a = await ActivityAsync();

        var refills = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["k"] = "REFILL" });
        var sales = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["k"] = "SALE" });
        var refunds = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["k"] = "REFUND" });

        Assert.Equal([a.RefillB, a.RefillA], Operations(refills));
        Assert.All(refills, r => Assert.Equal("REFILL", r!["kind"]!.GetValue<string>()));
        Assert.Equal([a.SaleA2, a.SaleB, a.SaleA1], Operations(sales));
        Assert.Empty(refunds);
    }

    [Fact]
    public async Task The_time_range_includes_from_and_excludes_to()
    {
        var a = await ActivityAsync();
        var rows = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue });
        var at = rows.Select(r => (Id: r!["operationId"]!.GetValue<string>(), At: DateTimeOffset.Parse(r["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        // The middle movement's own timestamp is the boundary; the expectations come from the rows, so equal timestamps are fine.
        var pivot = rows[2]!["at"]!.GetValue<string>();
        var pivotAt = at[2].At;
        var newest = rows[0]!["at"]!.GetValue<string>();

        var since = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["from"] = pivot });
        var before = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["to"] = pivot });
        var between = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["from"] = pivot, ["to"] = newest });
        var empty = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue, ["from"] = pivot, ["to"] = pivot });

        Assert.Contains(a.RefillB, Operations(since));
        Assert.DoesNotContain(a.RefillB, Operations(before));
        Assert.Equal(at.Where(r => r.At >= pivotAt).Select(r => r.Id), Operations(since));
        Assert.Equal(at.Where(r => r.At < pivotAt).Select(r => r.Id), Operations(before));
        Assert.Equal(at.Where(r => r.At >= pivotAt && r.At < at[0].At).Select(r => r.Id), Operations(between));
        Assert.DoesNotContain(a.SaleA2, Operations(between));
        Assert.Empty(empty);
    }

    // ---------------------------------------------------------------- pagination

    [Theory]
    [InlineData("venue", 2)]
    [InlineData("venue", 5)]
    [InlineData("wallet", 1)]
    [InlineData("wallet", 2)]
    [InlineData("wallet", 4)]
    public async Task Pages_hold_every_row_exactly_once_newest_first(string filter, int size)
    {
        var a = await ActivityAsync();
        Dictionary<string, object?> variables = filter == "venue" ? new() { ["v"] = a.Net.Venue } : new() { ["w"] = a.WalletA };
        var all = await RowsAsync(a.Net.Admin, variables);

        var seen = new List<long>();
        var hasNext = new List<bool>();
        string? after = null;
        do
        {
            var page = (await PageAsync(a.Net.Admin, new(variables) { ["first"] = size, ["after"] = after })).Data()["transactions"]!;
            var items = page["items"]!.AsArray();
            Assert.Equal(Math.Min(size, all.Count - seen.Count), items.Count);
            seen.AddRange(TransactionIds(items));
            hasNext.Add(page["hasNextPage"]!.GetValue<bool>());
            // The cursor points after the page's last row.
            Assert.Equal(Cursor("tx:" + TransactionIds(items)[^1]), page["endCursor"]!.GetValue<string>());
            after = page["endCursor"]!.GetValue<string>();
        }
        while (hasNext[^1]);

        Assert.Equal(TransactionIds(all), seen);
        Assert.Equal(seen.OrderDescending(), seen);
        var pages = (all.Count + size - 1) / size;
        Assert.Equal(Enumerable.Range(1, pages).Select(p => p < pages), hasNext);
        var beyond = (await PageAsync(a.Net.Admin, new(variables) { ["first"] = size, ["after"] = after })).Data()["transactions"]!;
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Null(beyond["endCursor"]);
        Assert.False(beyond["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_default_page_holds_50_rows_and_200_is_the_largest()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        // 51 refills: one more than the default page.
        for (var i = 0; i < 51; i++)
        {
            await OperationAsync(net.RefillAsync(card, 10, CashlessNetwork.NewKey()), "refill");
        }

        var byDefault = (await PageAsync(net.Admin, new() { ["v"] = net.Venue })).Data()["transactions"]!;
        var largest = (await PageAsync(net.Admin, new() { ["v"] = net.Venue, ["first"] = 200 })).Data()["transactions"]!;

        Assert.Equal(50, byDefault["items"]!.AsArray().Count);
        Assert.True(byDefault["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(51, largest["items"]!.AsArray().Count);
        Assert.False(largest["hasNextPage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(201)]
    public async Task A_page_size_outside_1_to_200_is_bad_user_input(int first)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var response = await PageAsync(net.Admin, new() { ["v"] = net.Venue, ["first"] = first });

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("")]
    [InlineData("eHg6NQ==")] // "xx:5"
    [InlineData("dHg6LTE=")] // "tx:-1"
    [InlineData("dHg6YWJj")] // "tx:abc"
    public async Task A_malformed_cursor_is_bad_user_input(string after)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var response = await PageAsync(net.Admin, new() { ["v"] = net.Venue, ["after"] = after });

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
    }

    // ---------------------------------------------------------------- authorization

    [Fact]
    public async Task A_venue_viewer_reads_the_venues_history_as_the_instance_admin_sees_it()
    {
        var a = await ActivityAsync();
        var viewer = await silo.StaffAsync(a.Net.Venue, "VIEWER");

        var seenByViewer = await RowsAsync(viewer, new() { ["v"] = a.Net.Venue });
        var seenByAdmin = await RowsAsync(a.Net.Admin, new() { ["v"] = a.Net.Venue });

        Assert.Equal(seenByAdmin.ToJsonString(), seenByViewer.ToJsonString());
        Assert.Equal(5, seenByViewer.Count);
    }

    [Fact]
    public async Task A_viewer_of_another_venue_cannot_read_this_venues_history()
    {
        var a = await ActivityAsync();
        var viewer = await silo.StaffAsync(a.Elsewhere.Venue, "VIEWER");

        var response = await PageAsync(viewer, new() { ["v"] = a.Net.Venue });
        var ownVenue = await RowsAsync(viewer, new() { ["v"] = a.Elsewhere.Venue });

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Null(response.Body["data"]);
        Assert.Equal([a.RefillElsewhere], Operations(ownVenue));
    }

    [Fact]
    public async Task History_without_a_venue_needs_the_instance_admin()
    {
        var a = await ActivityAsync();
        var venueAdmin = await silo.StaffAsync(a.Net.Venue, "ADMIN");

        var unfiltered = await PageAsync(venueAdmin, new());
        var byCard = await PageAsync(venueAdmin, new() { ["c"] = a.CardA });
        var byWallet = await PageAsync(venueAdmin, new() { ["w"] = a.VenueWallet });

        Assert.Equal("FORBIDDEN", unfiltered.ErrorCode());
        Assert.Equal("FORBIDDEN", byCard.ErrorCode());
        Assert.Equal("FORBIDDEN", byWallet.ErrorCode());
    }

    [Fact]
    public async Task History_needs_a_signed_in_staff_member()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var device = "Device " + (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"r\") { key } }", new { v = net.Venue }, net.Admin))
            .Data()["registerDevice"]!["key"]!.GetValue<string>();

        var anonymous = await silo.PostAsync(History, new Dictionary<string, object?> { ["v"] = net.Venue });
        var byDevice = await PageAsync(device, new() { ["v"] = net.Venue });

        Assert.Equal("UNAUTHENTICATED", anonymous.ErrorCode());
        Assert.Equal("FORBIDDEN", byDevice.ErrorCode());
    }

    [Fact]
    public async Task Verifying_the_ledger_needs_the_instance_admin()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var venueAdmin = await silo.StaffAsync(net.Venue, "ADMIN");
        const string verify = "{ verifyLedger { clean } }";

        var anonymous = await silo.PostAsync(verify);
        var byVenueAdmin = await silo.PostAsync(verify, authorization: venueAdmin);

        Assert.Equal("UNAUTHENTICATED", anonymous.ErrorCode());
        Assert.Equal("FORBIDDEN", byVenueAdmin.ErrorCode());
        Assert.Null(byVenueAdmin.Body["data"]);
    }
}

using System.Text.Json.Nodes;
using TiBillet.Grains.Common;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.Venues;

[Collection(SiloCollection.Name)]
public sealed class VenueApiTests(TestFieldsSiloFixture silo)
{
    private const string CreateVenue = "mutation($v: ID!, $n: String!) { createVenue(id: $v, name: $n) { id name walletId assets { id } spendingOrder createdAt } }";

    private const string VenueQuery = "query($v: ID!) { venue(id: $v) { id name walletId assets { id kind name issuingVenueId archived mintWalletId } spendingOrder createdAt } }";

    private const string AddAsset = "mutation($v: ID!, $k: AssetKind!, $n: String!) { addAsset(venueId: $v, kind: $k, name: $n) { id kind name issuingVenueId archived mintWalletId } }";

    private const string ArchiveAsset = "mutation($v: ID!, $a: ID!) { archiveAsset(venueId: $v, assetId: $a) { id archived } }";

    private const string SetSpendingOrder = "mutation($v: ID!, $a: [ID!]!) { setSpendingOrder(venueId: $v, assetIds: $a) { spendingOrder } }";

    private static string NewVenueId() => "v-" + Guid.NewGuid().ToString("N")[..12];

    private async Task<string> AdminAsync() => "Bearer " + await silo.AdminTokenAsync();

    private async Task<JsonNode> VenueAsync(string venue, string admin) =>
        (await silo.PostAsync(VenueQuery, new { v = venue }, admin)).Data()["venue"]!;

    private static List<string> Ids(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private static List<string> AssetIds(JsonNode venue) => venue["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();

    private static async Task<string> FundAsync(CashlessNetwork net, string card, long cents, string? asset = null)
    {
        var refill = await net.Silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long!, $asset: ID) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a, means: CASH, assetId: $asset) { approved operationId } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, a = cents, asset }, net.Admin);
        Assert.True(refill.Data()["refill"]!["approved"]!.GetValue<bool>(), refill.Body.ToJsonString());
        return refill.Data()["refill"]!["operationId"]!.GetValue<string>();
    }

    // ---------------------------------------------------------------- createVenue and venue

    [Fact]
    public async Task A_created_venue_is_readable_with_no_assets_and_creating_it_again_under_the_same_name_returns_it()
    {
        var admin = await AdminAsync();
        var id = NewVenueId();

        var created = (await silo.PostAsync(CreateVenue, new { v = id, n = "Le Bar" }, admin)).Data()["createVenue"]!;
        var again = (await silo.PostAsync(CreateVenue, new { v = id, n = "Le Bar" }, admin)).Data()["createVenue"]!;
        var read = await VenueAsync(id, admin);

        Assert.Equal(id, read["id"]!.GetValue<string>());
        Assert.Equal("Le Bar", read["name"]!.GetValue<string>());
        Assert.Empty(read["assets"]!.AsArray());
        Assert.Equal(created["walletId"]!.GetValue<string>(), read["walletId"]!.GetValue<string>());
        Assert.NotEqual(Guid.Empty, Guid.Parse(read["walletId"]!.GetValue<string>()));
        // A retry of the same request is not a second venue: same creation time.
        Assert.Equal(created["createdAt"]!.GetValue<string>(), again["createdAt"]!.GetValue<string>());
        Assert.Equal(created["createdAt"]!.GetValue<string>(), read["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_taken_id_is_a_conflict_and_keeps_the_first_venue()
    {
        var admin = await AdminAsync();
        var id = NewVenueId();
        (await silo.PostAsync(CreateVenue, new { v = id, n = "First" }, admin)).Data();

        var response = await silo.PostAsync(CreateVenue, new { v = id, n = "Second" }, admin);

        Assert.Equal("CONFLICT", response.ErrorCode());
        Assert.Equal("First", (await VenueAsync(id, admin))["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("caf\u00e9")]
    [InlineData("slash/")]
    public async Task A_malformed_venue_id_is_bad_user_input_and_creates_nothing(string id)
    {
        var admin = await AdminAsync();
        var before = await silo.ScalarAsync("SELECT count(*) FROM venues");

        var response = await silo.PostAsync(CreateVenue, new { v = id, n = "Venue" }, admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal(before, await silo.ScalarAsync("SELECT count(*) FROM venues"));
    }

    [Fact]
    public async Task A_venue_id_may_have_100_characters_but_not_101()
    {
        var admin = await AdminAsync();
        var prefix = "v-" + Guid.NewGuid().ToString("N");
        var longest = prefix + new string('x', VenueId.MaxLength - prefix.Length);
        var before = await silo.ScalarAsync("SELECT count(*) FROM venues");

        var tooLong = await silo.PostAsync(CreateVenue, new { v = longest + "x", n = "Venue" }, admin);
        var created = (await silo.PostAsync(CreateVenue, new { v = longest, n = "Venue" }, admin)).Data()["createVenue"]!;

        Assert.Equal("BAD_USER_INPUT", tooLong.ErrorCode());
        Assert.Equal(longest, created["id"]!.GetValue<string>());
        Assert.Equal(before + 1, await silo.ScalarAsync("SELECT count(*) FROM venues"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_blank_or_overlong_venue_name_is_bad_user_input_and_creates_nothing(string? name)
    {
        var admin = await AdminAsync();
        var id = NewVenueId();

        // null stands for a name one character over the limit.
        var response = await silo.PostAsync(CreateVenue, new { v = id, n = name ?? new string('n', 201) }, admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(VenueQuery, new { v = id }, admin)).ErrorCode());
    }

    [Fact]
    public async Task An_unknown_venue_is_not_found()
    {
        var response = await silo.PostAsync(VenueQuery, new { v = NewVenueId() }, await AdminAsync());

        Assert.Equal("NOT_FOUND", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task A_venue_shows_its_assets_and_the_order_a_card_pays_with_them()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var venue = await VenueAsync(net.Venue, net.Admin);

        Assert.Equal([net.Tlf, net.Tnf], AssetIds(venue));
        // Default order: gift, venue euro, FED.
        Assert.Equal([net.Tnf, net.Tlf, Fed], Ids(venue["spendingOrder"]));
    }

    // ---------------------------------------------------------------- addAsset

    [Fact]
    public async Task A_venue_issues_every_local_kind_of_asset()
    {
        var admin = await AdminAsync();
        var id = NewVenueId();
        (await silo.PostAsync(CreateVenue, new { v = id, n = "Venue" }, admin)).Data();
        string[] kinds = ["TLF", "TNF", "TIM", "FID", "SUB", "BDG"];

        var added = new List<JsonNode>();
        foreach (var kind in kinds)
        {
            added.Add((await silo.PostAsync(AddAsset, new { v = id, k = kind, n = "Asset " + kind }, admin)).Data()["addAsset"]!);
        }

        Assert.Equal(kinds, added.Select(a => a["kind"]!.GetValue<string>()));
        Assert.All(added, a =>
        {
            Assert.Equal(id, a["issuingVenueId"]!.GetValue<string>());
            Assert.False(a["archived"]!.GetValue<bool>());
            Assert.Equal("Asset " + a["kind"]!.GetValue<string>(), a["name"]!.GetValue<string>());
            // Each asset is issued from its own mint wallet.
            Assert.Equal(a["id"]!.GetValue<string>(), a["mintWalletId"]!.GetValue<string>());
        });
        Assert.Equal(added.Count, added.Select(a => a["id"]!.GetValue<string>()).Distinct().Count());
        var venue = await VenueAsync(id, admin);
        Assert.Equal(added.Select(a => a["id"]!.GetValue<string>()), AssetIds(venue));
        Assert.All(venue["assets"]!.AsArray(), a => Assert.Equal(id, a!["issuingVenueId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_venue_cannot_issue_FED_and_nothing_is_added()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var assetsBefore = await silo.ScalarAsync("SELECT count(*) FROM assets");

        var response = await silo.PostAsync(AddAsset, new { v = net.Venue, k = "FED", n = "Mine" }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal([net.Tlf, net.Tnf], AssetIds(await VenueAsync(net.Venue, net.Admin)));
        Assert.Equal(assetsBefore, await silo.ScalarAsync("SELECT count(*) FROM assets"));
    }

    [Fact]
    public async Task A_second_active_euro_or_gift_asset_is_a_conflict_but_memberships_may_be_many()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var tlf = await silo.PostAsync(AddAsset, new { v = net.Venue, k = "TLF", n = "Euro 2" }, net.Admin);
        var tnf = await silo.PostAsync(AddAsset, new { v = net.Venue, k = "TNF", n = "Cadeau 2" }, net.Admin);
        var sub1 = (await silo.PostAsync(AddAsset, new { v = net.Venue, k = "SUB", n = "Adhésion" }, net.Admin)).Data()["addAsset"]!;
        var sub2 = (await silo.PostAsync(AddAsset, new { v = net.Venue, k = "SUB", n = "Adhésion soutien" }, net.Admin)).Data()["addAsset"]!;

        Assert.Equal("CONFLICT", tlf.ErrorCode());
        Assert.Equal("CONFLICT", tnf.ErrorCode());
        Assert.Equal([net.Tlf, net.Tnf, sub1["id"]!.GetValue<string>(), sub2["id"]!.GetValue<string>()], AssetIds(await VenueAsync(net.Venue, net.Admin)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public async Task A_blank_or_overlong_asset_name_is_bad_user_input_and_adds_nothing(string? name)
    {
        var admin = await AdminAsync();
        var id = NewVenueId();
        (await silo.PostAsync(CreateVenue, new { v = id, n = "Venue" }, admin)).Data();

        // null stands for a name one character over the limit.
        var response = await silo.PostAsync(AddAsset, new { v = id, k = "TIM", n = name ?? new string('n', 101) }, admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Empty(AssetIds(await VenueAsync(id, admin)));
    }

    [Fact]
    public async Task Adding_an_asset_to_an_unknown_venue_is_not_found_and_creates_no_asset()
    {
        var admin = await AdminAsync();
        var before = await silo.ScalarAsync("SELECT count(*) FROM assets");

        var response = await silo.PostAsync(AddAsset, new { v = NewVenueId(), k = "TLF", n = "Euro" }, admin);

        Assert.Equal("NOT_FOUND", response.ErrorCode());
        Assert.Equal(before, await silo.ScalarAsync("SELECT count(*) FROM assets"));
    }

    // ---------------------------------------------------------------- archiveAsset

    [Fact]
    public async Task An_archived_asset_is_marked_archived_leaves_the_spending_order_and_frees_its_kind()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);

        var archived = (await silo.PostAsync(ArchiveAsset, new { v = net.Venue, a = net.Tlf }, net.Admin)).Data()["archiveAsset"]!;
        var again = (await silo.PostAsync(ArchiveAsset, new { v = net.Venue, a = net.Tlf }, net.Admin)).Data()["archiveAsset"]!;
        var venue = await VenueAsync(net.Venue, net.Admin);

        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.True(again["archived"]!.GetValue<bool>());
        var tlf = venue["assets"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == net.Tlf)!;
        Assert.True(tlf["archived"]!.GetValue<bool>());
        Assert.False(venue["assets"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == net.Tnf)!["archived"]!.GetValue<bool>());
        Assert.Equal([net.Tnf, Fed], Ids(venue["spendingOrder"]));
        // Archiving is what lets a venue replace its euro.
        var replacement = (await silo.PostAsync(AddAsset, new { v = net.Venue, k = "TLF", n = "Euro local 2" }, net.Admin)).Data()["addAsset"]!["id"]!.GetValue<string>();
        Assert.Equal([net.Tnf, replacement, Fed], Ids((await VenueAsync(net.Venue, net.Admin))["spendingOrder"]));
    }

    [Fact]
    public async Task No_new_money_is_issued_in_an_archived_asset()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var wallet = await net.WalletOfAsync(card);
        (await silo.PostAsync(ArchiveAsset, new { v = net.Venue, a = net.Tlf }, net.Admin)).Data();
        var rowsBefore = await silo.LedgerRowsAsync();

        var explicitRefill = await silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: ID!) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: 100, means: CASH, assetId: $a) { approved } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, a = net.Tlf }, net.Admin);
        var defaultRefill = await net.RefillAsync(card, 100, CashlessNetwork.NewKey());
        var issue = await silo.PostAsync("mutation($k: String!, $w: ID!, $a: ID!) { issue(idempotencyKey: $k, walletId: $w, assetId: $a, amount: 100) { approved } }",
            new { k = CashlessNetwork.NewKey(), w = wallet, a = net.Tlf }, net.Admin);

        Assert.Equal("CONFLICT", explicitRefill.ErrorCode());
        // With no asset named, a refill looks for the venue's active TLF, and there is none left.
        Assert.Equal("NOT_FOUND", defaultRefill.ErrorCode());
        Assert.Equal("CONFLICT", issue.ErrorCode());
        Assert.Equal(rowsBefore, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 500 }, await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task An_archived_asset_no_longer_pays_here_but_the_counter_still_refunds_it()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        (await silo.PostAsync(ArchiveAsset, new { v = net.Venue, a = net.Tlf }, net.Admin)).Data();

        var pay = (await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var seenHere = await net.CardBalancesAsync(card, net.Venue);
        var voided = (await silo.PostAsync(
            "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $q: String!) { refund(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, cardQrId: $q) { approved cashReturned } }",
            new { k = CashlessNetwork.NewKey(), v = net.Venue, c = net.Cashier, card, q = "qr-" + card }, net.Admin)).Data()["refund"]!;

        Assert.False(pay["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", pay["reason"]!.GetValue<string>());
        Assert.Empty(seenHere);
        // The money is not stranded: the issuing venue pays its archived euro back in cash.
        Assert.True(voided["approved"]!.GetValue<bool>());
        Assert.Equal(500, voided["cashReturned"]!.GetValue<long>());
        Assert.Empty(await net.CardBalancesAsync(card));
    }

    [Fact]
    public async Task Archiving_an_asset_the_venue_does_not_issue_is_not_found_and_changes_nothing()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);

        var foreign = await silo.PostAsync(ArchiveAsset, new { v = here.Venue, a = elsewhere.Tlf }, here.Admin);
        var unknown = await silo.PostAsync(ArchiveAsset, new { v = here.Venue, a = Guid.NewGuid().ToString() }, here.Admin);
        var fed = await silo.PostAsync(ArchiveAsset, new { v = here.Venue, a = Fed }, here.Admin);
        var malformed = await silo.PostAsync(ArchiveAsset, new { v = here.Venue, a = "not-a-uuid" }, here.Admin);

        Assert.Equal("NOT_FOUND", foreign.ErrorCode());
        Assert.Equal("NOT_FOUND", unknown.ErrorCode());
        Assert.Equal("NOT_FOUND", fed.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", malformed.ErrorCode());
        Assert.All((await VenueAsync(elsewhere.Venue, here.Admin))["assets"]!.AsArray(), a => Assert.False(a!["archived"]!.GetValue<bool>()));
        Assert.Equal([elsewhere.Tnf, elsewhere.Tlf, Fed], Ids((await VenueAsync(elsewhere.Venue, here.Admin))["spendingOrder"]));
        Assert.Equal([here.Tnf, here.Tlf, Fed], Ids((await VenueAsync(here.Venue, here.Admin))["spendingOrder"]));
    }

    // ---------------------------------------------------------------- setSpendingOrder

    [Fact]
    public async Task The_spending_order_decides_which_asset_a_sale_takes_first()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        await FundAsync(net, card, 500, net.Tnf);
        await FundAsync(net, card, 500, net.Tlf);

        // Default order: the gift money goes first.
        Assert.True((await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, long> { [net.Tnf] = 400, [net.Tlf] = 500 }, await net.CardBalancesAsync(card, net.Venue));

        var set = (await silo.PostAsync(SetSpendingOrder, new { v = net.Venue, a = new[] { net.Tlf } }, net.Admin)).Data()["setSpendingOrder"]!;
        var firstSale = (await net.PayAsync(card, 300, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var afterFirst = await net.CardBalancesAsync(card, net.Venue);
        // More than the TLF left: the rest comes from the next asset in the order.
        var secondSale = (await net.PayAsync(card, 300, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var afterSecond = await net.CardBalancesAsync(card, net.Venue);

        // The listed asset first, then the unlisted ones in the default order.
        Assert.Equal([net.Tlf, net.Tnf, Fed], Ids(set["spendingOrder"]));
        Assert.Equal(set["spendingOrder"]!.ToJsonString(), (await VenueAsync(net.Venue, net.Admin))["spendingOrder"]!.ToJsonString());
        Assert.True(firstSale["approved"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, long> { [net.Tnf] = 400, [net.Tlf] = 200 }, afterFirst);
        Assert.True(secondSale["approved"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, long> { [net.Tnf] = 300 }, afterSecond);
    }

    [Fact]
    public async Task An_empty_spending_order_restores_the_default()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        (await silo.PostAsync(SetSpendingOrder, new { v = net.Venue, a = new[] { Fed, net.Tlf } }, net.Admin)).Data();

        var reset = (await silo.PostAsync(SetSpendingOrder, new { v = net.Venue, a = Array.Empty<string>() }, net.Admin)).Data()["setSpendingOrder"]!;

        Assert.Equal([net.Tnf, net.Tlf, Fed], Ids(reset["spendingOrder"]));
    }

    [Fact]
    public async Task A_spending_order_with_an_asset_the_venue_does_not_accept_is_bad_user_input_and_changes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var sub = (await silo.PostAsync(AddAsset, new { v = net.Venue, k = "SUB", n = "Adhésion" }, net.Admin)).Data()["addAsset"]!["id"]!.GetValue<string>();
        var tim = (await silo.PostAsync(AddAsset, new { v = net.Venue, k = "TIM", n = "Heures" }, net.Admin)).Data()["addAsset"]!["id"]!.GetValue<string>();
        (await silo.PostAsync(ArchiveAsset, new { v = net.Venue, a = tim }, net.Admin)).Data();
        (await silo.PostAsync(SetSpendingOrder, new { v = net.Venue, a = new[] { net.Tlf } }, net.Admin)).Data();
        string[][] refused =
        [
            [net.Tlf, elsewhere.Tlf], // another venue's euro
            [Guid.NewGuid().ToString()], // no such asset
            [sub], // memberships are never spent
            [tim], // archived
            [net.Tnf, net.Tnf], // twice
            ["not-a-uuid"],
        ];

        var codes = new List<string>();
        foreach (var order in refused)
        {
            codes.Add((await silo.PostAsync(SetSpendingOrder, new { v = net.Venue, a = order }, net.Admin)).ErrorCode());
        }

        Assert.All(codes, code => Assert.Equal("BAD_USER_INPUT", code));
        Assert.Equal([net.Tlf, net.Tnf, Fed], Ids((await VenueAsync(net.Venue, net.Admin))["spendingOrder"]));
    }

    // ---------------------------------------------------------------- accepted assets

    [Fact]
    public async Task A_venue_accepts_its_own_assets_and_FED_but_not_another_venues()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var elsewhere = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, here.Admin);
        await FundAsync(here, card, 300, here.Tlf);
        await FundAsync(elsewhere, card, 1000, elsewhere.Tlf);
        var wallet = await here.WalletOfAsync(card);
        await here.IssueAsync(wallet, Fed, 200);

        var seenHere = await here.CardBalancesAsync(card, here.Venue);
        var seenEverywhere = await here.CardBalancesAsync(card);
        // 450 is more than the local euro: the rest comes from FED, never from the other venue's euro.
        var sale = (await here.PayAsync(card, 450, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var tooMuch = (await here.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;

        Assert.Equal(new Dictionary<string, long> { [here.Tlf] = 300, [Fed] = 200 }, seenHere);
        Assert.Equal(new Dictionary<string, long> { [here.Tlf] = 300, [Fed] = 200, [elsewhere.Tlf] = 1000 }, seenEverywhere);
        Assert.True(sale["approved"]!.GetValue<bool>());
        Assert.False(tooMuch["approved"]!.GetValue<bool>());
        Assert.Equal(50, tooMuch["shortfall"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { [Fed] = 50, [elsewhere.Tlf] = 1000 }, await here.CardBalancesAsync(card));
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Cards;

[Collection(SiloCollection.Name)]
public sealed class CardApiTests(TestFieldsSiloFixture silo)
{
    private const string CardFields = "uid number qrId batch state walletId cashierAt";

    private const string Register =
        "mutation($b: String, $c: [NewCardInput!]!) { registerCards(batch: $b, cards: $c) { received registered alreadyRegistered errors { line code message } } }";

    private const string ImportCsv =
        "mutation($csv: String!, $b: String) { importCardsCsv(csv: $csv, batch: $b) { received registered alreadyRegistered errors { line code message } } }";

    private const string Link =
        "mutation($i: LinkMyCardInput!) { linkMyCard(input: $i) { card { " + CardFields + " } userWalletId moved { assetId amount fromWalletId toWalletId } } }";

    private const string StartLink = "mutation($i: StartCardLinkInput!) { startCardLink(input: $i) { uid venueId expiresAt confirmed } }";

    private const string DeclareLost = "mutation($i: DeclareMyCardLostInput!) { declareMyCardLost(input: $i) { " + CardFields + " } }";

    private const string Grant = "mutation($v: ID!, $u: String!) { grantCashierCard(venueId: $v, uid: $u) { " + CardFields + " } }";

    private const string Revoke = "mutation($v: ID!, $u: String!) { revokeCashierCard(venueId: $v, uid: $u) { " + CardFields + " } }";

    private static string NewNumber() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@test.localhost";

    private static object NewCard(string? uid = null, string? number = null, string? qrId = null) =>
        new { uid = uid ?? CashlessNetwork.NewUid(), number = number ?? NewNumber(), qrId = qrId ?? "qr-" + Guid.NewGuid().ToString("N") };

    private static IReadOnlyList<(int Line, string Code)> Errors(JsonNode report) =>
        [.. report["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["code"]!.GetValue<string>()))];

    /// <summary>Rows in <c>cards</c> for these UIDs (upper-case, as stored).</summary>
    private Task<long> CardRowsAsync(params string[] uids) => silo.ScalarAsync("SELECT count(*) FROM cards WHERE uid = ANY($1)", (object)uids);

    private Task<long> AllCardRowsAsync() => silo.ScalarAsync("SELECT count(*) FROM cards");

    private async Task<JsonNode> CardAsync(string admin, string uid) =>
        (await silo.PostAsync("query($u: String!) { card(uid: $u) { " + CardFields + " } }", new { u = uid }, admin)).Data()["card"]!;

    /// <summary>The customer signed in as <paramref name="email"/> links the card with its printed secret (QR id "qr-" + UID).</summary>
    private Task<GraphQLResponse> LinkAsync(CashlessNetwork net, string uid, string email, string key) =>
        silo.PostAsync(Link, new { i = new { idempotencyKey = key, qrId = "qr-" + uid } }, silo.CustomerBearer(email));

    /// <summary>The owner signed in as <paramref name="email"/> declares the card lost.</summary>
    private Task<GraphQLResponse> DeclareLostAsync(string uid, string email) =>
        silo.PostAsync(DeclareLost, new { i = new { uid } }, silo.CustomerBearer(email));

    [Fact]
    public async Task Registering_a_batch_reports_bad_cards_one_by_one_and_registers_the_good_ones()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var taken = await CashlessNetwork.NewCardAsync(silo.Client, admin);
        var takenNumber = (await CardAsync(admin, taken))["number"]!.GetValue<string>();
        var (good4, good7, twin) = (CashlessNetwork.NewUid(), Convert.ToHexString(RandomNumberGenerator.GetBytes(7)), CashlessNetwork.NewUid());
        var badUid = Convert.ToHexString(RandomNumberGenerator.GetBytes(5));
        var shortNumber = CashlessNetwork.NewUid();
        var clash = CashlessNetwork.NewUid();
        var good4Number = NewNumber();
        var twinQr = "qr-" + twin;
        var twinCard = NewCard(twin, qrId: twinQr);
        var (noQr, sameQr) = (CashlessNetwork.NewUid(), CashlessNetwork.NewUid());
        var before = await AllCardRowsAsync();

        // 7-byte UID typed lower-case with colons, as a reader may print it: stored normalised.
        var colons = string.Join(':', Enumerable.Range(0, 7).Select(i => good7.Substring(i * 2, 2).ToLowerInvariant()));
        var report = (await silo.PostAsync(Register, new
        {
            b = "batch-1",
            c = new[]
            {
                NewCard(good4, good4Number),
                NewCard(badUid),
                NewCard(shortNumber, "1234567"),
                NewCard(good4, NewNumber()),
                NewCard(colons),
                twinCard,
                twinCard,
                NewCard(clash, takenNumber),
                NewCard(CashlessNetwork.NewUid(), good4Number),
                NewCard(noQr, qrId: ""),
                NewCard(sameQr, qrId: twinQr),
            },
        }, admin)).Data()["registerCards"]!;

        Assert.Equal(11, report["received"]!.GetValue<int>());
        Assert.Equal(3, report["registered"]!.GetValue<int>());
        Assert.Equal(1, report["alreadyRegistered"]!.GetValue<int>());
        // 2: 5-byte UID; 3: 7-character number; 4: line 1's UID with another number; 8: a registered card's number;
        // 9: line 1's number; 10: no QR id; 11: line 6's QR id. Line 7 repeats line 6 exactly: already registered, no error.
        Assert.Equal(new[] { (2, "BAD_USER_INPUT"), (3, "BAD_USER_INPUT"), (4, "CONFLICT"), (8, "CONFLICT"), (9, "CONFLICT"), (10, "BAD_USER_INPUT"), (11, "CONFLICT") }, Errors(report));
        Assert.Equal(3, await CardRowsAsync(good4, good7, twin));
        Assert.Equal(0, await CardRowsAsync(badUid, shortNumber, clash, noQr, sameQr));
        Assert.Equal(before + 3, await AllCardRowsAsync());
        var stored = await CardAsync(admin, good7);
        Assert.Equal(good7, stored["uid"]!.GetValue<string>());
        Assert.Equal("batch-1", stored["batch"]!.GetValue<string>());
        Assert.Equal("BLANK", stored["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Re_registering_a_batch_reports_every_card_as_already_registered_and_changes_nothing()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var uids = Enumerable.Range(0, 3).Select(_ => CashlessNetwork.NewUid()).ToArray();
        var cards = uids.Select(u => NewCard(u)).ToArray();
        var first = (await silo.PostAsync(Register, new { b = "first", c = cards }, admin)).Data()["registerCards"]!;
        var before = await AllCardRowsAsync();
        var wallets = await silo.ScalarAsync("SELECT count(*) FROM ledger_wallets");

        // Another batch name too: the first registration stands.
        var again = (await silo.PostAsync(Register, new { b = "second", c = cards }, admin)).Data()["registerCards"]!;

        Assert.Equal(3, first["registered"]!.GetValue<int>());
        Assert.Equal(3, again["received"]!.GetValue<int>());
        Assert.Equal(0, again["registered"]!.GetValue<int>());
        Assert.Equal(3, again["alreadyRegistered"]!.GetValue<int>());
        Assert.Empty(again["errors"]!.AsArray());
        Assert.Equal(before, await AllCardRowsAsync());
        Assert.Equal(wallets, await silo.ScalarAsync("SELECT count(*) FROM ledger_wallets"));
        Assert.Equal("first", (await CardAsync(admin, uids[0]))["batch"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_overlong_batch_name_is_bad_user_input_and_registers_nothing()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var uid = CashlessNetwork.NewUid();
        var before = await AllCardRowsAsync();

        var register = await silo.PostAsync(Register, new { b = new string('b', 101), c = new[] { NewCard(uid) } }, admin);
        var import = await silo.PostAsync(ImportCsv, new { csv = $"{uid},{NewNumber()},qr-{uid}", b = new string('b', 101) }, admin);

        Assert.Equal("BAD_USER_INPUT", register.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", import.ErrorCode());
        Assert.Equal(before, await AllCardRowsAsync());
    }

    [Fact]
    public async Task A_csv_import_reports_bad_lines_by_line_number_registers_the_good_ones_and_replays_as_already_registered()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var (a, b, badUid) = (CashlessNetwork.NewUid(), CashlessNetwork.NewUid(), CashlessNetwork.NewUid() + "0");
        var numberA = NewNumber();
        var csv = string.Join("\n",
            "uid,number,qrId",
            $"{a},{numberA},qr-{a}",
            "only,two",
            $"{badUid},{NewNumber()},qr-{badUid}",
            "",
            $"{b};{NewNumber()};qr-{b}",
            $"{CashlessNetwork.NewUid()},{numberA},qr-other-{a}");
        var before = await AllCardRowsAsync();

        var first = (await silo.PostAsync(ImportCsv, new { csv, b = "csv-1" }, admin)).Data()["importCardsCsv"]!;
        var afterFirst = await AllCardRowsAsync();
        var again = (await silo.PostAsync(ImportCsv, new { csv, b = "csv-1" }, admin)).Data()["importCardsCsv"]!;

        // The header and the blank line are not cards; every other line is counted and judged alone.
        Assert.Equal(5, first["received"]!.GetValue<int>());
        Assert.Equal(2, first["registered"]!.GetValue<int>());
        Assert.Equal(0, first["alreadyRegistered"]!.GetValue<int>());
        Assert.Equal(new[] { (3, "BAD_USER_INPUT"), (4, "BAD_USER_INPUT"), (7, "CONFLICT") }, Errors(first));
        Assert.Equal(before + 2, afterFirst);
        Assert.Equal(2, await CardRowsAsync(a, b));
        Assert.Equal("csv-1", (await CardAsync(admin, b))["batch"]!.GetValue<string>());

        Assert.Equal(0, again["registered"]!.GetValue<int>());
        Assert.Equal(2, again["alreadyRegistered"]!.GetValue<int>());
        Assert.Equal(Errors(first), Errors(again));
        Assert.Equal(afterFirst, await AllCardRowsAsync());
    }

    [Fact]
    public async Task A_csv_without_header_starts_at_line_one()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var uid = CashlessNetwork.NewUid();
        var csv = $"{uid},{NewNumber()},qr-{uid}\r\nnot-a-uid,{NewNumber()},qr-x-{uid}\r\n";

        var report = (await silo.PostAsync(ImportCsv, new { csv }, admin)).Data()["importCardsCsv"]!;

        Assert.Equal(2, report["received"]!.GetValue<int>());
        Assert.Equal(1, report["registered"]!.GetValue<int>());
        Assert.Equal(new[] { (2, "BAD_USER_INPUT") }, Errors(report));
        Assert.Equal(1, await CardRowsAsync(uid));
    }

    [Fact]
    public async Task A_card_is_found_by_uid_in_any_spelling_and_by_printed_number()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);
        var uid = CashlessNetwork.NewUid();
        var number = "ab" + NewNumber()[..6];
        (await silo.PostAsync(Register, new { c = new[] { NewCard(uid, number, "qr-" + uid) } }, admin)).Data();

        var byUid = await CardAsync(admin, string.Join(' ', Enumerable.Range(0, 4).Select(i => uid.Substring(i * 2, 2).ToLowerInvariant())));
        var byNumber = (await silo.PostAsync("query($n: String!) { card(number: $n) { " + CardFields + " } }", new { n = number }, admin)).Data()["card"]!;

        Assert.Equal(uid, byUid["uid"]!.GetValue<string>());
        Assert.Equal(number.ToUpperInvariant(), byUid["number"]!.GetValue<string>());
        Assert.Equal("qr-" + uid, byUid["qrId"]!.GetValue<string>());
        Assert.Equal("BLANK", byUid["state"]!.GetValue<string>());
        Assert.NotNull(byUid["walletId"]);
        Assert.Empty(byUid["cashierAt"]!.AsArray());
        Assert.Equal(byUid.ToJsonString(), byNumber.ToJsonString());
    }

    [Fact]
    public async Task An_unregistered_uid_or_number_is_unknown_card()
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);

        var byUid = await silo.PostAsync("query($u: String!) { card(uid: $u) { uid } }", new { u = CashlessNetwork.NewUid() }, admin);
        var byNumber = await silo.PostAsync("query($n: String!) { card(number: $n) { uid } }", new { n = NewNumber() }, admin);

        Assert.Equal("UNKNOWN_CARD", byUid.ErrorCode());
        Assert.Equal("UNKNOWN_CARD", byNumber.ErrorCode());
    }

    [Theory]
    [InlineData("query { card(uid: \"not-hex!\") { uid } }")]
    [InlineData("query { card(uid: \"0102030405\") { uid } }")]
    [InlineData("query { card(number: \"1234567\") { uid } }")]
    [InlineData("query { card(number: \"ABCD-123\") { uid } }")]
    [InlineData("query { card { uid } }")]
    [InlineData("query { card(uid: \"01020304\", number: \"ABCD1234\") { uid } }")]
    public async Task A_malformed_lookup_is_bad_user_input(string query)
    {
        var admin = await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret);

        var response = await silo.PostAsync(query, authorization: admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task A_card_goes_from_blank_to_anonymous_to_identified_to_lost()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var blank = await CardAsync(net.Admin, card);

        (await net.RefillAsync(card, 500, CashlessNetwork.NewKey())).Data();
        var anonymous = await CardAsync(net.Admin, card);
        var email = NewEmail();
        var linked = (await LinkAsync(net, card, email, CashlessNetwork.NewKey())).Data()["linkMyCard"]!;
        var identified = await CardAsync(net.Admin, card);
        (await DeclareLostAsync(card, email)).Data();
        var lost = await CardAsync(net.Admin, card);

        Assert.Equal("BLANK", blank["state"]!.GetValue<string>());
        Assert.Equal("ANONYMOUS", anonymous["state"]!.GetValue<string>());
        // A blank card already has its own wallet; a top-up keeps it.
        Assert.Equal(blank["walletId"]!.GetValue<string>(), anonymous["walletId"]!.GetValue<string>());
        Assert.Equal("IDENTIFIED", identified["state"]!.GetValue<string>());
        Assert.Equal(linked["userWalletId"]!.GetValue<string>(), identified["walletId"]!.GetValue<string>());
        Assert.Equal("LOST", lost["state"]!.GetValue<string>());
        Assert.Null(lost["walletId"]);
    }

    [Fact]
    public async Task Revoking_a_cashier_card_at_one_venue_keeps_its_grant_at_another()
    {
        var here = await CashlessNetwork.CreateAsync(silo.Client);
        var there = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await CashlessNetwork.NewCardAsync(silo.Client, here.Admin);
        var (customerHere, customerThere) = (await here.FundedCardAsync(1000), await there.FundedCardAsync(1000));

        var granted = (await silo.PostAsync(Grant, new { v = here.Venue, u = cashier }, here.Admin)).Data()["grantCashierCard"]!;
        var grantedTwice = (await silo.PostAsync(Grant, new { v = there.Venue, u = cashier }, here.Admin)).Data()["grantCashierCard"]!;
        var soldHere = (await here.PayAsync(customerHere, 100, 1, CashlessNetwork.NewKey(), cashier: cashier)).Data()["pay"]!;
        var revoked = (await silo.PostAsync(Revoke, new { v = here.Venue, u = cashier }, here.Admin)).Data()["revokeCashierCard"]!;

        Assert.Equal(new[] { here.Venue }, granted["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(new[] { here.Venue, there.Venue }.Order(StringComparer.Ordinal), grantedTwice["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(soldHere["approved"]!.GetValue<bool>());
        Assert.Equal(new[] { there.Venue }, revoked["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(new[] { there.Venue }, (await CardAsync(here.Admin, cashier))["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("FORBIDDEN", (await here.PayAsync(customerHere, 100, 1, CashlessNetwork.NewKey(), cashier: cashier)).ErrorCode());
        Assert.Equal(900, await here.TlfBalanceAsync(customerHere));
        Assert.True((await there.PayAsync(customerThere, 100, 1, CashlessNetwork.NewKey(), cashier: cashier)).Data()["pay"]!["approved"]!.GetValue<bool>());
        Assert.Equal(900, await there.TlfBalanceAsync(customerThere));
    }

    [Fact]
    public async Task A_blocked_cashier_card_can_no_longer_sell()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1000);
        (await silo.PostAsync("mutation($i: BlockCardInput!) { blockCard(input: $i) { uid } }", new { i = new { venueId = net.Venue, uid = net.Cashier, reason = "stolen" } }, net.Admin)).Data();

        var response = await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey());

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(1000, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Granting_and_revoking_cashier_cards_are_idempotent()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        (await silo.PostAsync(Grant, new { v = net.Venue, u = card }, net.Admin)).Data();
        var again = (await silo.PostAsync(Grant, new { v = net.Venue, u = card }, net.Admin)).Data()["grantCashierCard"]!;
        var grants = await silo.ScalarAsync("SELECT count(*) FROM card_cashier_grants WHERE uid = $1", card);
        (await silo.PostAsync(Revoke, new { v = net.Venue, u = card }, net.Admin)).Data();
        var revokedAgain = (await silo.PostAsync(Revoke, new { v = net.Venue, u = card }, net.Admin)).Data()["revokeCashierCard"]!;

        Assert.Equal(new[] { net.Venue }, again["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(1, grants);
        Assert.Empty(revokedAgain["cashierAt"]!.AsArray());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM card_cashier_grants WHERE uid = $1", card));
    }

    [Fact]
    public async Task Granting_a_cashier_card_is_refused_for_an_unknown_card_an_unknown_venue_or_a_lost_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var lost = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var blank = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var owner = NewEmail();
        (await LinkAsync(net, lost, owner, CashlessNetwork.NewKey())).Data();
        (await DeclareLostAsync(lost, owner)).Data();

        var unknownCard = await silo.PostAsync(Grant, new { v = net.Venue, u = CashlessNetwork.NewUid() }, net.Admin);
        var unknownVenue = await silo.PostAsync(Grant, new { v = "v-" + Guid.NewGuid().ToString("N")[..12], u = blank }, net.Admin);
        var lostCard = await silo.PostAsync(Grant, new { v = net.Venue, u = lost }, net.Admin);
        var malformed = await silo.PostAsync(Grant, new { v = net.Venue, u = "zz" }, net.Admin);

        Assert.Equal("UNKNOWN_CARD", unknownCard.ErrorCode());
        Assert.Equal("NOT_FOUND", unknownVenue.ErrorCode());
        Assert.Equal("CONFLICT", lostCard.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", malformed.ErrorCode());
        Assert.Empty((await CardAsync(net.Admin, blank))["cashierAt"]!.AsArray());
        Assert.Empty((await CardAsync(net.Admin, lost))["cashierAt"]!.AsArray());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM card_cashier_grants WHERE uid = ANY($1)", (object)new[] { blank, lost }));
    }

    [Fact]
    public async Task Linking_a_card_fuses_its_anonymous_balance_into_the_user_wallet()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(700);
        var cardWallet = (await CardAsync(net.Admin, card))["walletId"]!.GetValue<string>();

        var linked = (await LinkAsync(net, card, NewEmail(), CashlessNetwork.NewKey())).Data()["linkMyCard"]!;

        var userWallet = linked["userWalletId"]!.GetValue<string>();
        Assert.NotEqual(cardWallet, userWallet);
        Assert.Equal("IDENTIFIED", linked["card"]!["state"]!.GetValue<string>());
        Assert.Equal(userWallet, linked["card"]!["walletId"]!.GetValue<string>());
        var moved = Assert.Single(linked["moved"]!.AsArray())!;
        Assert.Equal(net.Tlf, moved["assetId"]!.GetValue<string>());
        Assert.Equal(700, moved["amount"]!.GetValue<long>());
        Assert.Equal(cardWallet, moved["fromWalletId"]!.GetValue<string>());
        Assert.Equal(userWallet, moved["toWalletId"]!.GetValue<string>());
        Assert.Equal(700, await net.TlfBalanceAsync(card));
        var cardWalletBalances = (await silo.PostAsync("query($w: ID!) { wallet(id: $w) { balances { amount } } }", new { w = cardWallet }, net.Admin)).Data()["wallet"]!["balances"]!.AsArray();
        Assert.All(cardWalletBalances, b => Assert.Equal(0, b!["amount"]!.GetValue<long>()));
        Assert.True((await silo.PostAsync("{ verifyLedger { clean } }", authorization: net.Admin)).Data()["verifyLedger"]!["clean"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Linking_a_blank_card_moves_nothing_and_the_user_then_tops_it_up()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var linked = (await LinkAsync(net, card, NewEmail(), CashlessNetwork.NewKey())).Data()["linkMyCard"]!;
        (await net.RefillAsync(card, 250, CashlessNetwork.NewKey())).Data();

        Assert.Equal("IDENTIFIED", linked["card"]!["state"]!.GetValue<string>());
        Assert.Empty(linked["moved"]!.AsArray());
        Assert.Equal(250, await net.TlfBalanceAsync(card));
        var userBalances = (await silo.PostAsync("query($w: ID!, $v: ID!) { wallet(id: $w, venueId: $v) { balances { assetId amount } } }",
            new { w = linked["userWalletId"]!.GetValue<string>(), v = net.Venue }, net.Admin)).Data()["wallet"]!["balances"]!.AsArray();
        Assert.Equal(250, userBalances.Single(b => b!["assetId"]!.GetValue<string>() == net.Tlf)!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Linking_again_with_the_same_key_returns_the_first_result_and_moves_nothing_more()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(400);
        var (email, key) = (NewEmail(), CashlessNetwork.NewKey());
        var first = (await LinkAsync(net, card, email, key)).Data()["linkMyCard"]!;
        var ledger = await silo.LedgerRowsAsync();

        var replay = (await LinkAsync(net, card, email, key)).Data()["linkMyCard"]!;

        Assert.Equal(first.ToJsonString(), replay.ToJsonString());
        Assert.Equal(first["userWalletId"]!.GetValue<string>(), replay["userWalletId"]!.GetValue<string>());
        Assert.Single(first["moved"]!.AsArray());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(400, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Linking_with_the_same_key_to_another_email_is_a_conflict_and_changes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(400);
        var key = CashlessNetwork.NewKey();
        var first = (await LinkAsync(net, card, NewEmail(), key)).Data()["linkMyCard"]!;
        var ledger = await silo.LedgerRowsAsync();

        var response = await LinkAsync(net, card, NewEmail(), key);

        Assert.Equal("CONFLICT", response.ErrorCode());
        Assert.Equal(first["userWalletId"]!.GetValue<string>(), (await CardAsync(net.Admin, card))["walletId"]!.GetValue<string>());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal(400, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Linking_another_card_with_a_key_already_used_is_a_conflict_and_changes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (first, second) = (await net.FundedCardAsync(400), await net.FundedCardAsync(300));
        var key = CashlessNetwork.NewKey();
        var owner = NewEmail();
        (await LinkAsync(net, first, owner, key)).Data();
        var secondBefore = await CardAsync(net.Admin, second);
        var ledger = await silo.LedgerRowsAsync();

        // The same customer's key (keys are scoped to their customer): another card under it is another request.
        var response = await LinkAsync(net, second, owner, key);

        Assert.Equal("CONFLICT", response.ErrorCode());
        Assert.Equal(secondBefore.ToJsonString(), (await CardAsync(net.Admin, second)).ToJsonString());
        Assert.Equal(300, await net.TlfBalanceAsync(second));
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task A_counter_link_of_a_second_card_to_a_user_whose_wallet_has_a_card_and_a_balance_is_a_conflict_and_changes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (owned, other) = (await net.FundedCardAsync(500), await net.FundedCardAsync(300));
        var email = NewEmail();
        (await LinkAsync(net, owned, email, CashlessNetwork.NewKey())).Data();
        var otherBefore = await CardAsync(net.Admin, other);
        var ledger = await silo.LedgerRowsAsync();

        var mails = await silo.ScalarAsync("SELECT count(*) FROM card_link_requests");

        // Only the signed-in owner adds cards to such a wallet; at a counter, knowing the e-mail is refused before any mail.
        var response = await silo.PostAsync(StartLink, new { i = new { venueId = net.Venue, uid = other, email, idempotencyKey = CashlessNetwork.NewKey() } }, net.Admin);

        Assert.Equal("CONFLICT", response.ErrorCode());
        Assert.Equal(mails, await silo.ScalarAsync("SELECT count(*) FROM card_link_requests"));
        Assert.Equal(otherBefore.ToJsonString(), (await CardAsync(net.Admin, other)).ToJsonString());
        Assert.Equal("ANONYMOUS", otherBefore["state"]!.GetValue<string>());
        Assert.Equal(300, await net.TlfBalanceAsync(other));
        Assert.Equal(500, await net.TlfBalanceAsync(owned));
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
    }

    [Fact]
    public async Task Linking_is_refused_for_an_unknown_card_a_lost_card_or_a_malformed_email()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var lost = await net.FundedCardAsync(200);
        var owner = NewEmail();
        (await LinkAsync(net, lost, owner, CashlessNetwork.NewKey())).Data();
        (await DeclareLostAsync(lost, owner)).Data();
        var blank = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var unknown = await LinkAsync(net, CashlessNetwork.NewUid(), NewEmail(), CashlessNetwork.NewKey());
        var lostCard = await LinkAsync(net, lost, owner, CashlessNetwork.NewKey());
        var badEmail = await silo.PostAsync(StartLink, new { i = new { venueId = net.Venue, uid = blank, email = "not an e-mail", idempotencyKey = CashlessNetwork.NewKey() } }, net.Admin);

        Assert.Equal("UNKNOWN_CARD", unknown.ErrorCode());
        Assert.Equal("CONFLICT", lostCard.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", badEmail.ErrorCode());
        Assert.Equal("LOST", (await CardAsync(net.Admin, lost))["state"]!.GetValue<string>());
        Assert.Equal("BLANK", (await CardAsync(net.Admin, blank))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_lost_card_pays_nothing_and_a_new_card_linked_to_the_same_email_gets_the_balance()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var lost = await net.FundedCardAsync(800);
        var email = NewEmail();
        var userWallet = (await LinkAsync(net, lost, email, CashlessNetwork.NewKey())).Data()["linkMyCard"]!["userWalletId"]!.GetValue<string>();

        var declared = (await DeclareLostAsync(lost, email)).Data()["declareMyCardLost"]!;
        var ledger = await silo.LedgerRowsAsync();
        var pay = (await net.PayAsync(lost, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!;
        var balance = await silo.PostAsync("query($c: String!, $v: ID!) { wallet(cardUid: $c, venueId: $v) { id } }", new { c = lost, v = net.Venue }, net.Admin);
        var replacement = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);
        var relinked = (await LinkAsync(net, replacement, email, CashlessNetwork.NewKey())).Data()["linkMyCard"]!;

        Assert.Equal("LOST", declared["state"]!.GetValue<string>());
        Assert.Null(declared["walletId"]);
        Assert.False(pay["approved"]!.GetValue<bool>());
        Assert.Equal("CARD_LOST", pay["reason"]!.GetValue<string>());
        Assert.Equal(ledger, await silo.LedgerRowsAsync());
        Assert.Equal("CONFLICT", balance.ErrorCode());
        Assert.Equal(userWallet, relinked["userWalletId"]!.GetValue<string>());
        Assert.Empty(relinked["moved"]!.AsArray());
        Assert.Equal(800, await net.TlfBalanceAsync(replacement));
        Assert.True((await net.PayAsync(replacement, 300, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        Assert.Equal(500, await net.TlfBalanceAsync(replacement));
    }

    [Fact]
    public async Task Declaring_a_card_lost_twice_is_idempotent_and_an_unknown_card_is_unknown_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(100);
        var owner = NewEmail();
        (await LinkAsync(net, card, owner, CashlessNetwork.NewKey())).Data();

        var first = (await DeclareLostAsync(card, owner)).Data()["declareMyCardLost"]!;
        var again = (await DeclareLostAsync(card, owner)).Data()["declareMyCardLost"]!;
        var unknown = await DeclareLostAsync(CashlessNetwork.NewUid(), owner);

        Assert.Equal("LOST", first["state"]!.GetValue<string>());
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal("UNKNOWN_CARD", unknown.ErrorCode());
    }

    [Fact]
    public async Task Registering_cards_is_for_the_instance_admin_only()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var venueAdmin = await silo.StaffAsync(net.Venue, "ADMIN");
        var uid = CashlessNetwork.NewUid();
        var before = await AllCardRowsAsync();

        var register = await silo.PostAsync(Register, new { c = new[] { NewCard(uid) } }, venueAdmin);
        var import = await silo.PostAsync(ImportCsv, new { csv = $"{uid},{NewNumber()},qr-{uid}" }, venueAdmin);

        Assert.Equal("FORBIDDEN", register.ErrorCode());
        Assert.Equal("FORBIDDEN", import.ErrorCode());
        Assert.Equal(before, await AllCardRowsAsync());
    }

    [Fact]
    public async Task A_venue_cashier_cannot_grant_or_revoke_cashier_cards()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var card = await CashlessNetwork.NewCardAsync(silo.Client, net.Admin);

        var grant = await silo.PostAsync(Grant, new { v = net.Venue, u = card }, cashier);
        var revoke = await silo.PostAsync(Revoke, new { v = net.Venue, u = net.Cashier }, cashier);

        Assert.Equal("FORBIDDEN", grant.ErrorCode());
        Assert.Equal("FORBIDDEN", revoke.ErrorCode());
        Assert.Empty((await CardAsync(net.Admin, card))["cashierAt"]!.AsArray());
        Assert.Equal(new[] { net.Venue }, (await CardAsync(net.Admin, net.Cashier))["cashierAt"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}

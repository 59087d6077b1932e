using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;
using static TiBillet.Testing.CashlessNetwork;

namespace TiBillet.GraphQL.Tests.Wallets;

/// <summary>Administrative money movements (grantTime, transfer, issue, correct) and who may read a wallet, through the public API.</summary>
[Collection(SiloCollection.Name)]
public sealed class WalletAdminApiTests(TestFieldsSiloFixture silo)
{
    private const string Movement = "{ approved reason kind operationId movements { assetId amount fromWalletId toWalletId } balances { assetId amount } }";

    private const string GrantTime =
        "mutation($k: String!, $v: ID!, $w: ID!, $a: ID!, $n: Long!) { grantTime(idempotencyKey: $k, venueId: $v, walletId: $w, assetId: $a, amount: $n) " + Movement + " }";

    private const string Transfer =
        "mutation($k: String!, $f: ID!, $t: ID!, $a: ID!, $n: Long!) { transfer(idempotencyKey: $k, fromWalletId: $f, toWalletId: $t, assetId: $a, amount: $n) " + Movement + " }";

    private const string Issue =
        "mutation($k: String!, $w: ID!, $a: ID!, $n: Long!) { issue(idempotencyKey: $k, walletId: $w, assetId: $a, amount: $n) " + Movement + " }";

    private const string Correct =
        "mutation($k: String!, $w: ID!, $a: ID!, $n: Long!, $c: Boolean!, $r: String!) { correct(idempotencyKey: $k, walletId: $w, assetId: $a, amount: $n, credit: $c, reason: $r) " + Movement + " }";

    private const string WalletOfCard = "query($c: String!, $v: ID) { wallet(cardUid: $c, venueId: $v) { id kind balances { assetId amount } } }";

    // ---------------------------------------------------------------- grantTime

    [Fact]
    public async Task A_venue_admin_grants_its_time_currency_from_the_mint_and_replays_with_the_same_key()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (time, mint) = await net.AddAssetAsync("TIM");
        var venueAdmin = await silo.StaffAsync(net.Venue, "ADMIN");
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(200));
        var key = CashlessNetwork.NewKey();

        var grant = (await silo.PostAsync(GrantTime, new { k = key, v = net.Venue, w = wallet, a = time, n = 90 }, venueAdmin)).Data()["grantTime"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await silo.PostAsync(GrantTime, new { k = key, v = net.Venue, w = wallet, a = time, n = 90 }, venueAdmin)).Data()["grantTime"]!;

        Assert.True(grant["approved"]!.GetValue<bool>());
        Assert.Equal("TIME_GRANT", grant["kind"]!.GetValue<string>());
        Assert.Equal([(time, 90L, mint, wallet)], Movements(grant));
        Assert.Equal(grant["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 200, [time] = 90 }, await net.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task Granting_time_is_refused_for_an_asset_that_is_not_tim()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var venueAdmin = await silo.StaffAsync(net.Venue, "ADMIN");
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(200));
        var rows = await silo.LedgerRowsAsync();

        var response = await silo.PostAsync(GrantTime, new { k = CashlessNetwork.NewKey(), v = net.Venue, w = wallet, a = net.Tlf, n = 90 }, venueAdmin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 200 }, await net.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task A_venue_cannot_grant_another_venues_time_currency()
    {
        var issuer = await CashlessNetwork.CreateAsync(silo.Client);
        var other = await CashlessNetwork.CreateAsync(silo.Client);
        var (time, _) = await issuer.AddAssetAsync("TIM");
        var otherAdmin = await silo.StaffAsync(other.Venue, "ADMIN");
        var wallet = await issuer.WalletOfAsync(await issuer.FundedCardAsync(200));
        var rows = await silo.LedgerRowsAsync();

        // Its own venue, but not the issuer of the asset; then the issuer's venue, where it has no role.
        var notIssuer = await silo.PostAsync(GrantTime, new { k = CashlessNetwork.NewKey(), v = other.Venue, w = wallet, a = time, n = 90 }, otherAdmin);
        var noRole = await silo.PostAsync(GrantTime, new { k = CashlessNetwork.NewKey(), v = issuer.Venue, w = wallet, a = time, n = 90 }, otherAdmin);

        Assert.Equal("FORBIDDEN", notIssuer.ErrorCode());
        Assert.Equal("FORBIDDEN", noRole.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [issuer.Tlf] = 200 }, await issuer.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task Granting_time_needs_the_admin_role_not_cashier()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var (time, _) = await net.AddAssetAsync("TIM");
        var cashier = await silo.StaffAsync(net.Venue, "CASHIER");
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(200));
        var rows = await silo.LedgerRowsAsync();

        var response = await silo.PostAsync(GrantTime, new { k = CashlessNetwork.NewKey(), v = net.Venue, w = wallet, a = time, n = 90 }, cashier);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
    }

    // ---------------------------------------------------------------- transfer

    [Fact]
    public async Task The_instance_admin_transfers_an_asset_between_two_card_wallets()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var from = await net.WalletOfAsync(await net.FundedCardAsync(1000));
        var to = await net.WalletOfAsync(await net.FundedCardAsync(50));

        var transfer = (await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = 400 }, net.Admin)).Data()["transfer"]!;

        Assert.True(transfer["approved"]!.GetValue<bool>());
        Assert.Equal("TRANSFER", transfer["kind"]!.GetValue<string>());
        Assert.Equal([(net.Tlf, 400L, from, to)], Movements(transfer));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 600 }, Balances(transfer["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 600 }, await net.WalletBalancesAsync(from));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 450 }, await net.WalletBalancesAsync(to));
    }

    [Fact]
    public async Task A_transfer_beyond_the_balance_is_declined_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var from = await net.WalletOfAsync(await net.FundedCardAsync(300));
        var to = await net.WalletOfAsync(await net.FundedCardAsync(50));
        var rows = await silo.LedgerRowsAsync();

        var transfer = (await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = 301 }, net.Admin)).Data()["transfer"]!;

        Assert.False(transfer["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", transfer["reason"]!.GetValue<string>());
        Assert.Null(transfer["operationId"]);
        Assert.Empty(Movements(transfer));
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.WalletBalancesAsync(from));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 50 }, await net.WalletBalancesAsync(to));
    }

    [Fact]
    public async Task A_transfer_to_the_same_wallet_or_of_a_non_positive_amount_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var from = await net.WalletOfAsync(await net.FundedCardAsync(300));
        var to = await net.WalletOfAsync(await net.FundedCardAsync(50));
        var rows = await silo.LedgerRowsAsync();

        var itself = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = from, a = net.Tlf, n = 100 }, net.Admin);
        var negative = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = -100 }, net.Admin);
        var zero = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = 0 }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", itself.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", negative.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", zero.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.WalletBalancesAsync(from));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 50 }, await net.WalletBalancesAsync(to));
    }

    [Fact]
    public async Task Money_is_not_transferred_out_of_a_venue_wallet_or_into_a_mint()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        var wallet = await net.WalletOfAsync(card);
        Assert.True((await net.PayAsync(card, 200, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        var venueWallet = await net.VenueWalletAsync();
        var rows = await silo.LedgerRowsAsync();

        // The venue wallet moves money only through operations of other wallets; a mint is not a transfer target.
        var outOfVenue = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = venueWallet, t = wallet, a = net.Tlf, n = 100 }, net.Admin);
        var intoMint = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = wallet, t = net.Tlf, a = net.Tlf, n = 100 }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", outOfVenue.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", intoMint.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 200 }, await net.WalletBalancesAsync(venueWallet));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task Transfers_issues_and_corrections_are_for_the_instance_admin_only()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var venueAdmin = await silo.StaffAsync(net.Venue, "ADMIN");
        var from = await net.WalletOfAsync(await net.FundedCardAsync(300));
        var to = await net.WalletOfAsync(await net.FundedCardAsync(50));
        var rows = await silo.LedgerRowsAsync();

        var transfer = await silo.PostAsync(Transfer, new { k = CashlessNetwork.NewKey(), f = from, t = to, a = net.Tlf, n = 100 }, venueAdmin);
        var issue = await silo.PostAsync(Issue, new { k = CashlessNetwork.NewKey(), w = to, a = net.Tlf, n = 100 }, venueAdmin);
        var correct = await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = to, a = net.Tlf, n = 100, c = true, r = "gift" }, venueAdmin);

        Assert.Equal("FORBIDDEN", transfer.ErrorCode());
        Assert.Equal("FORBIDDEN", issue.ErrorCode());
        Assert.Equal("FORBIDDEN", correct.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.WalletBalancesAsync(from));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 50 }, await net.WalletBalancesAsync(to));
    }

    // ---------------------------------------------------------------- issue

    [Fact]
    public async Task The_instance_admin_issues_fed_from_its_mint_and_replays_with_the_same_key()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var wallet = await net.WalletOfAsync(await CashlessNetwork.NewCardAsync(silo.Client, net.Admin));
        var key = CashlessNetwork.NewKey();

        var issue = (await silo.PostAsync(Issue, new { k = key, w = wallet, a = Fed, n = 2500 }, net.Admin)).Data()["issue"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await silo.PostAsync(Issue, new { k = key, w = wallet, a = Fed, n = 2500 }, net.Admin)).Data()["issue"]!;
        var conflict = await silo.PostAsync(Issue, new { k = key, w = wallet, a = Fed, n = 2600 }, net.Admin);

        Assert.True(issue["approved"]!.GetValue<bool>());
        Assert.Equal("CREATION", issue["kind"]!.GetValue<string>());
        // A mint wallet has its asset's id.
        Assert.Equal([(Fed, 2500L, Fed, wallet)], Movements(issue));
        Assert.Equal(issue["operationId"]!.GetValue<string>(), replay["operationId"]!.GetValue<string>());
        Assert.Equal("CONFLICT", conflict.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [Fed] = 2500 }, await net.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task Issuing_a_non_positive_amount_or_an_unknown_asset_writes_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(100));
        var rows = await silo.LedgerRowsAsync();

        var zero = await silo.PostAsync(Issue, new { k = CashlessNetwork.NewKey(), w = wallet, a = Fed, n = 0 }, net.Admin);
        var negative = await silo.PostAsync(Issue, new { k = CashlessNetwork.NewKey(), w = wallet, a = Fed, n = -5 }, net.Admin);
        var unknown = await silo.PostAsync(Issue, new { k = CashlessNetwork.NewKey(), w = wallet, a = Guid.NewGuid().ToString(), n = 5 }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", zero.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", negative.ErrorCode());
        Assert.Equal("NOT_FOUND", unknown.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 100 }, await net.WalletBalancesAsync(wallet));
    }

    // ---------------------------------------------------------------- correct

    [Fact]
    public async Task A_correction_credits_or_debits_the_wallet_against_the_mint()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(1000));

        var credit = (await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = wallet, a = net.Tlf, n = 75, c = true, r = "Till miscount" }, net.Admin)).Data()["correct"]!;
        var debit = (await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = wallet, a = net.Tlf, n = 1025, c = false, r = "Double top-up" }, net.Admin)).Data()["correct"]!;

        Assert.True(credit["approved"]!.GetValue<bool>());
        Assert.Equal("CORRECTION", credit["kind"]!.GetValue<string>());
        Assert.Equal([(net.Tlf, 75L, net.Tlf, wallet)], Movements(credit));
        Assert.True(debit["approved"]!.GetValue<bool>());
        Assert.Equal("CORRECTION", debit["kind"]!.GetValue<string>());
        Assert.Equal([(net.Tlf, 1025L, wallet, net.Tlf)], Movements(debit));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 50 }, Balances(debit["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 50 }, await net.WalletBalancesAsync(wallet));
        var corrections = (await silo.PostAsync("query($w: ID!) { transactions(walletId: $w, kind: CORRECTION) { items { amount } } }", new { w = wallet }, net.Admin))
            .Data()["transactions"]!["items"]!.AsArray().Select(t => t!["amount"]!.GetValue<long>());
        Assert.Equal([1025L, 75L], corrections);
    }

    [Fact]
    public async Task A_correction_debit_beyond_the_balance_is_declined_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var wallet = await net.WalletOfAsync(await net.FundedCardAsync(300));
        var rows = await silo.LedgerRowsAsync();

        var debit = (await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = wallet, a = net.Tlf, n = 301, c = false, r = "Double top-up" }, net.Admin)).Data()["correct"]!;

        Assert.False(debit["approved"]!.GetValue<bool>());
        Assert.Equal("INSUFFICIENT_FUNDS", debit["reason"]!.GetValue<string>());
        Assert.Null(debit["operationId"]);
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 300 }, await net.WalletBalancesAsync(wallet));
    }

    [Fact]
    public async Task A_correction_of_a_venue_wallet_or_without_a_reason_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var wallet = await net.WalletOfAsync(card);
        Assert.True((await net.PayAsync(card, 100, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        var venueWallet = await net.VenueWalletAsync();
        var rows = await silo.LedgerRowsAsync();

        var blank = await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = wallet, a = net.Tlf, n = 10, c = true, r = "   " }, net.Admin);
        // Debiting the venue wallet could make it negative; only mints may be.
        var venueDebit = await silo.PostAsync(Correct, new { k = CashlessNetwork.NewKey(), w = venueWallet, a = net.Tlf, n = 500, c = false, r = "Cash counted short" }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", blank.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", venueDebit.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 200 }, await net.WalletBalancesAsync(wallet));
        Assert.Equal(new Dictionary<string, long> { [net.Tlf] = 100 }, await net.WalletBalancesAsync(venueWallet));
    }

    // ---------------------------------------------------------------- wallet visibility

    [Fact]
    public async Task A_wallet_read_for_a_venue_shows_only_the_assets_that_venue_accepts()
    {
        var a = await CashlessNetwork.CreateAsync(silo.Client);
        var b = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await a.FundedCardAsync(300);
        Assert.True((await b.RefillAsync(card, 400, CashlessNetwork.NewKey())).Data()["refill"]!["approved"]!.GetValue<bool>());
        var wallet = await a.WalletOfAsync(card);
        await a.IssueAsync(wallet, Fed, 100);

        var seenByA = (await silo.PostAsync(WalletOfCard, new { c = card, v = a.Venue }, a.Admin)).Data()["wallet"]!;
        var seenByB = (await silo.PostAsync(WalletOfCard, new { c = card, v = b.Venue }, a.Admin)).Data()["wallet"]!;
        var all = (await silo.PostAsync(WalletOfCard, new { c = card, v = (string?)null }, a.Admin)).Data()["wallet"]!;

        Assert.Equal(wallet, seenByA["id"]!.GetValue<string>());
        Assert.Equal("CARD", seenByA["kind"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, long> { [a.Tlf] = 300, [Fed] = 100 }, Balances(seenByA["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [b.Tlf] = 400, [Fed] = 100 }, Balances(seenByB["balances"]!));
        Assert.Equal(new Dictionary<string, long> { [a.Tlf] = 300, [b.Tlf] = 400, [Fed] = 100 }, Balances(all["balances"]!));
    }

    [Fact]
    public async Task A_venue_viewer_reads_wallets_for_their_venue_only()
    {
        var a = await CashlessNetwork.CreateAsync(silo.Client);
        var b = await CashlessNetwork.CreateAsync(silo.Client);
        var viewerOfB = await silo.StaffAsync(b.Venue, "VIEWER");
        var card = await a.FundedCardAsync(300);
        Assert.True((await b.RefillAsync(card, 400, CashlessNetwork.NewKey())).Data()["refill"]!["approved"]!.GetValue<bool>());
        var wallet = await a.WalletOfAsync(card);

        var ownVenue = (await silo.PostAsync("query($w: ID!, $v: ID) { wallet(id: $w, venueId: $v) { balances { assetId amount } } }", new { w = wallet, v = b.Venue }, viewerOfB))
            .Data()["wallet"]!;
        var otherVenue = await silo.PostAsync(WalletOfCard, new { c = card, v = a.Venue }, viewerOfB);
        var everything = await silo.PostAsync(WalletOfCard, new { c = card, v = (string?)null }, viewerOfB);

        Assert.Equal(new Dictionary<string, long> { [b.Tlf] = 400 }, Balances(ownVenue["balances"]!));
        Assert.Equal("FORBIDDEN", otherVenue.ErrorCode());
        Assert.Equal("FORBIDDEN", everything.ErrorCode());
        Assert.Null(otherVenue.Body["data"]);
    }

    [Fact]
    public async Task The_owner_of_a_wallet_reads_every_asset_of_it_and_another_user_reads_none()
    {
        var a = await CashlessNetwork.CreateAsync(silo.Client);
        var b = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await a.FundedCardAsync(300);
        Assert.True((await b.RefillAsync(card, 400, CashlessNetwork.NewKey())).Data()["refill"]!["approved"]!.GetValue<bool>());
        var strangersCard = await a.FundedCardAsync(100);
        var (_, ownerEmail, owner) = await silo.UserAsync();
        var (_, _, stranger) = await silo.UserAsync();
        var link = (await silo.LinkMyCardAsync(card, silo.CustomerBearer(ownerEmail))).Data()["linkMyCard"]!;
        var userWallet = link["userWalletId"]!.GetValue<string>();
        var everything = new Dictionary<string, long> { [a.Tlf] = 300, [b.Tlf] = 400 };

        var mine = (await silo.PostAsync("{ myWallet { id balances { assetId amount } } }", authorization: owner)).Data()["myWallet"]!;
        var byId = (await silo.PostAsync("query($w: ID!) { wallet(id: $w) { balances { assetId amount } } }", new { w = userWallet }, owner)).Data()["wallet"]!;
        var byCard = (await silo.PostAsync(WalletOfCard, new { c = card, v = (string?)null }, owner)).Data()["wallet"]!;
        var notMine = await silo.PostAsync(WalletOfCard, new { c = strangersCard, v = (string?)null }, owner);
        var strangersOwn = (await silo.PostAsync("{ myWallet { id } }", authorization: stranger)).Data()["myWallet"];
        var strangerById = await silo.PostAsync("query($w: ID!) { wallet(id: $w) { id } }", new { w = userWallet }, stranger);
        var strangerByCard = await silo.PostAsync(WalletOfCard, new { c = card, v = (string?)null }, stranger);
        var strangerByUnknownCard = await silo.PostAsync(WalletOfCard, new { c = CashlessNetwork.NewUid(), v = (string?)null }, stranger);

        Assert.Equal(userWallet, mine["id"]!.GetValue<string>());
        Assert.Equal(everything, Balances(mine["balances"]!));
        Assert.Equal(everything, Balances(byId["balances"]!));
        Assert.Equal(everything, Balances(byCard["balances"]!));
        Assert.Equal("FORBIDDEN", notMine.ErrorCode());
        Assert.Null(strangersOwn);
        Assert.Equal("FORBIDDEN", strangerById.ErrorCode());
        Assert.Equal("FORBIDDEN", strangerByCard.ErrorCode());
        // Someone who owns no wallet cannot even probe whether a card exists.
        Assert.Equal("FORBIDDEN", strangerByUnknownCard.ErrorCode());
    }

    [Fact]
    public async Task A_wallet_is_read_by_exactly_one_of_id_or_card()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var wallet = await net.WalletOfAsync(card);

        var both = await silo.PostAsync("query($w: ID!, $c: String!) { wallet(id: $w, cardUid: $c) { id } }", new { w = wallet, c = card }, net.Admin);
        var neither = await silo.PostAsync("{ wallet { id } }", authorization: net.Admin);
        var unknown = await silo.PostAsync("query($w: ID!) { wallet(id: $w) { id } }", new { w = Guid.NewGuid().ToString() }, net.Admin);

        Assert.Equal("BAD_USER_INPUT", both.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", neither.ErrorCode());
        Assert.Equal("NOT_FOUND", unknown.ErrorCode());
    }
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Transfer, time grant, issue, correction and balance reads.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WalletOperationTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transfer_moves_money_between_wallets_and_declines_without_funds()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (from, to) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(from, 500);
        var wallet = fixture.Grains.GetWallet(await net.WalletOfAsync(from));
        var target = await net.WalletOfAsync(to);

        var done = await wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), target, net.Tlf.Id, 200), Ct);
        var declined = await wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), target, net.Tlf.Id, 301), Ct);

        Assert.True(done.Approved);
        Assert.Equal(TransactionKind.Transfer, done.Kind);
        Assert.False(declined.Approved);
        Assert.Equal(DeclineReason.InsufficientFunds, declined.Reason);
        Assert.Equal(200, (await net.BalancesAsync(to))[net.Tlf.Id]);
        var self = await net.WalletOfAsync(from);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), self, net.Tlf.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), net.Tlf.MintWallet, net.Tlf.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), WalletId.New(), net.Tlf.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), target, AssetId.New(), 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => wallet.TransferAsync(new TransferRequest(TestNetwork.NewKey(), target, net.Tlf.Id, -1), Ct));
    }

    [Fact]
    public async Task Time_currency_is_granted_only_by_its_venue()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var other = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var wallet = fixture.Grains.GetWallet(await net.WalletOfAsync(card));

        var granted = await wallet.GrantTimeAsync(new TimeGrantRequest(TestNetwork.NewKey(), net.Venue, net.Tim.Id, 120), Ct);

        Assert.True(granted.Approved);
        Assert.Equal(TransactionKind.TimeGrant, granted.Kind);
        Assert.Equal(120, (await net.BalancesAsync(card))[net.Tim.Id]);
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => wallet.GrantTimeAsync(new TimeGrantRequest(TestNetwork.NewKey(), other.Venue, net.Tim.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => wallet.GrantTimeAsync(new TimeGrantRequest(TestNetwork.NewKey(), net.Venue, net.Tlf.Id, 1), Ct));
    }

    [Fact]
    public async Task Corrections_are_new_movements_against_the_mint()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var wallet = fixture.Grains.GetWallet(await net.WalletOfAsync(card));

        Assert.True((await wallet.CorrectAsync(new CorrectionRequest(TestNetwork.NewKey(), net.Tlf.Id, 300, true, "missed top-up"), Ct)).Approved);
        Assert.True((await wallet.CorrectAsync(new CorrectionRequest(TestNetwork.NewKey(), net.Tlf.Id, 100, false, "double top-up"), Ct)).Approved);
        var tooMuch = await wallet.CorrectAsync(new CorrectionRequest(TestNetwork.NewKey(), net.Tlf.Id, 201, false, "oops"), Ct);

        Assert.False(tooMuch.Approved);
        Assert.Equal(200, (await net.BalancesAsync(card))[net.Tlf.Id]);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => wallet.CorrectAsync(new CorrectionRequest(TestNetwork.NewKey(), net.Tlf.Id, 1, true, " "), Ct));
        Assert.Equal(2, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_transactions WHERE kind = 9 AND (from_wallet = $1 OR to_wallet = $1)", (await net.WalletOfAsync(card)).Value));
    }

    [Fact]
    public async Task Issue_creates_money_from_the_mint_and_refuses_archived_assets()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var wallet = fixture.Grains.GetWallet(await net.WalletOfAsync(card));

        var issued = await wallet.IssueAsync(new IssueRequest(TestNetwork.NewKey(), AssetId.Federated, 2_500), Ct);

        Assert.Equal(TransactionKind.Creation, issued.Kind);
        Assert.Equal(AssetId.Federated.Value, Assert.Single(issued.Movements).From.Value);
        await fixture.Grains.GetVenue(net.Venue).ArchiveAssetAsync(net.Tim.Id, Ct);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => wallet.IssueAsync(new IssueRequest(TestNetwork.NewKey(), net.Tim.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => wallet.IssueAsync(new IssueRequest(TestNetwork.NewKey(), AssetId.New(), 1), Ct));
    }

    [Fact]
    public async Task Balances_seen_by_a_venue_show_only_what_it_accepts()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var other = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 100);
        await other.RefillAsync(card, 200);
        await net.IssueFedAsync(card, 300);

        var all = await net.Card(card).GetBalancesAsync(null, Ct);
        var seen = await net.Card(card).GetBalancesAsync(other.Venue, Ct);

        Assert.Equal(3, all.Balances.Length);
        Assert.Equal(new[] { other.Tlf.Id.Value, AssetId.Federated.Value }.Order(), seen.Balances.Select(b => b.Asset.Value).Order());
    }

    [Fact]
    public async Task Venue_and_mint_wallets_have_no_debit_path_and_unknown_wallets_are_NOT_FOUND()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetWallet(net.VenueWallet).TransferAsync(new TransferRequest(TestNetwork.NewKey(), WalletId.New(), net.Tlf.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => fixture.Grains.GetWallet(net.Tlf.MintWallet).IssueAsync(new IssueRequest(TestNetwork.NewKey(), net.Tlf.Id, 1), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => fixture.Grains.GetWallet(WalletId.New()).GetDetailsAsync(null, Ct));
        Assert.Equal(WalletKind.Venue, (await fixture.Grains.GetWallet(net.VenueWallet).GetDetailsAsync(null, Ct)).Kind);
    }
}

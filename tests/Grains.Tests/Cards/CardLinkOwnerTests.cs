using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Cards;

/// <summary>
/// The cards table is the one owner of "which wallet does this card pay from": a loss or a block written there stops the
/// card whatever the grains still hold in memory (a failed notice, a stale activation), and a fusion left pending by a
/// crash is completed when the card or its wallet is next used.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CardLinkOwnerTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CardWallets NewPayments() => new(fixture.Grains, new CardStore(fixture.Database.DataSource));

    private async Task<(CardUid Card, EmailAddress Email, WalletId UserWallet)> LinkedCardAsync(TestNetwork net, long balance)
    {
        var card = await net.NewCardAsync();
        var email = EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org");
        var link = await net.Card(card).LinkToOwnerAsync(new OwnerLinkRequest(TestNetwork.NewKey(), email, (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);
        await net.RefillAsync(card, balance);
        return (card, email, link.UserWallet);
    }

    private Task<long> ExecAsync(string sql, params object[] args) => LedgerSql.ScalarAsync(fixture.Database.DataSource, sql, args);

    [Fact]
    public async Task A_card_declared_lost_while_its_wallets_stay_loaded_pays_nothing_more()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var (card, email, userWallet) = await LinkedCardAsync(net, 1_000);
        Assert.True((await net.PayAsync(card, 100)).Approved);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);

        await net.Card(card).DeclareLostAsync(email, Ct);

        var key = TestNetwork.NewKey();
        Assert.Equal(DeclineReason.CardLost, (await net.PayAsync(card, 100, key)).Reason);
        Assert.Equal(DeclineReason.CardLost, (await net.PayThroughAsync(payments, card, net.Sale(100, key), Ct)).Reason);
        Assert.Equal(800, await LedgerSql.BalanceAsync(fixture.Database.DataSource, userWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, key));
    }

    [Fact]
    public async Task A_loss_written_without_its_notice_to_the_wallet_stops_the_card()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var (card, _, userWallet) = await LinkedCardAsync(net, 1_000);
        // The card grain and its wallet are loaded and have paid: each holds the card as active.
        Assert.True((await net.PayAsync(card, 100)).Approved);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);

        // What a DeclareLost leaves when the notice to the wallet fails after the row was written.
        await ExecAsync("UPDATE cards SET state = 3, version = version + 1 WHERE uid = $1", card.Value);

        var key = TestNetwork.NewKey();
        Assert.Equal(DeclineReason.CardLost, (await net.PayThroughAsync(payments, card, net.Sale(100, key), Ct)).Reason);
        Assert.Equal(DeclineReason.CardLost, (await net.PayAsync(card, 100, key)).Reason);
        Assert.Equal(800, await LedgerSql.BalanceAsync(fixture.Database.DataSource, userWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, key));
    }

    [Fact]
    public async Task A_block_written_without_its_notice_to_the_wallet_stops_the_card_also_as_a_second_card()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var (card, other) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(card, 1_000);
        await net.RefillAsync(other, 1_000);
        Assert.True((await net.PayAsync(card, 100)).Approved);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);
        Assert.True((await net.PayAsync(other, 1_050, complement: PaymentMeans.SecondCard, complementCard: card)).Approved);

        await ExecAsync("UPDATE cards SET blocked_by = $2, blocked_reason = 'stolen', blocked_at = now(), version = version + 1 WHERE uid = $1", card.Value, net.Venue.Value);

        var key = TestNetwork.NewKey();
        Assert.Equal(DeclineReason.CardBlocked, (await net.PayThroughAsync(payments, card, net.Sale(100, key), Ct)).Reason);
        Assert.Equal(DeclineReason.CardBlocked, (await net.PayAsync(card, 100, key)).Reason);
        Assert.Equal(DeclineReason.CardBlocked, (await net.PayAsync(card, 10, TestNetwork.NewKey(), PaymentMeans.SecondCard, other)).Reason);
        var asSecond = await net.PayAsync(other, 1_000, TestNetwork.NewKey(), PaymentMeans.SecondCard, card);
        Assert.False(asSecond.Approved);
        Assert.Equal(750, await LedgerSql.BalanceAsync(fixture.Database.DataSource, await WalletOfRowAsync(card), net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.OperationsWithKeyAsync(fixture.Database.DataSource, key));
    }

    [Fact]
    public async Task A_block_through_the_grain_stops_the_loaded_wallet()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 500);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);

        await net.Card(card).BlockAsync(new BlockCardRequest(net.Venue, "stolen"), Ct);

        Assert.Equal(DeclineReason.CardBlocked, (await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Reason);
        Assert.Equal(DeclineReason.CardBlocked, (await net.PayAsync(card, 100)).Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_fusion_left_pending_by_a_crash_is_completed_once_when_the_card_or_its_wallet_is_next_used(bool byPayment)
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        var cardWallet = await WalletOfRowAsync(card);
        // Loaded through its wallet only: the card grain is not active when the crash is simulated.
        Assert.True((await fixture.Grains.GetWallet(cardWallet).RefillAsync(new RefillRequest(TestNetwork.NewKey(), net.Venue, net.Cashier, 900, PaymentMeans.Cash), card, Ct)).Approved);

        // A crash after the link's write and before its fusion: identified to a user wallet, the money still in the card's wallet.
        var userWallet = WalletId.New();
        var email = $"u{Guid.NewGuid():N}@example.org";
        await ExecAsync("WITH o AS (INSERT INTO wallet_owners (email, wallet_id) VALUES ($1, $2) RETURNING wallet_id) INSERT INTO ledger_wallets (wallet_id, kind) SELECT wallet_id, 0 FROM o", email, userWallet.Value);
        await ExecAsync("UPDATE cards SET state = 2, user_wallet = $2, fusion_pending = true, version = version + 1 WHERE uid = $1", card.Value, userWallet.Value);

        if (byPayment)
        {
            Assert.True((await net.PayThroughAsync(NewPayments(), card, net.Sale(100), Ct)).Approved);
            Assert.Equal(800, await LedgerSql.BalanceAsync(fixture.Database.DataSource, userWallet, net.Tlf.Id));
        }

        var details = await net.Card(card).GetDetailsAsync(Ct);

        Assert.Equal(CardState.Identified, details.State);
        Assert.Equal(userWallet, details.Wallet);
        Assert.Equal(byPayment ? 800 : 900, await LedgerSql.BalanceAsync(fixture.Database.DataSource, userWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.BalanceAsync(fixture.Database.DataSource, cardWallet, net.Tlf.Id));
        Assert.Equal(0, await ExecAsync("SELECT count(*) FROM cards WHERE uid = $1 AND fusion_pending", card.Value));
        Assert.Equal(1, await ExecAsync("SELECT count(*) FROM ledger_operations WHERE kind = $1 AND idempotency_key = $2", (short)TransactionKind.Fusion, CardRow.PendingFusionKey(card, userWallet).Value));

        // Used again, nothing more moves.
        Assert.True((await net.PayAsync(card, 100)).Approved);
        Assert.Equal(1, await ExecAsync("SELECT count(*) FROM ledger_operations o JOIN ledger_transactions t USING (operation_id) WHERE o.kind = $1 AND t.from_wallet = $2", (short)TransactionKind.Fusion, cardWallet.Value));
        Assert.True((await new LedgerVerifier(fixture.Database.DataSource).VerifyAsync(Ct)).Clean);
    }

    private async Task<WalletId> WalletOfRowAsync(CardUid card) =>
        (await new CardStore(fixture.Database.DataSource).FindCardWalletAsync(card, Ct))!.Value;
}

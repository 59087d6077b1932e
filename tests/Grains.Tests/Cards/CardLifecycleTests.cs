using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Cards;

[Collection(ClusterCollection.Name)]
public sealed class CardLifecycleTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmailAddress NewEmail() => EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org");

    /// <summary>The signed-in owner links the card with its printed secret.</summary>
    private static async Task<LinkCardResult> LinkAsync(TestNetwork net, CardUid card, IdempotencyKey key, EmailAddress email) =>
        await net.Card(card).LinkToOwnerAsync(new OwnerLinkRequest(key, email, (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);

    [Fact]
    public async Task Linking_an_anonymous_card_fuses_its_balances_into_the_user_wallet()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 700);
        await net.RefillAsync(card, 200, net.Tnf.Id);
        var cardWallet = await net.WalletOfAsync(card);
        var key = TestNetwork.NewKey();
        var email = NewEmail();

        var link = await LinkAsync(net, card, key, email);

        Assert.Equal(CardState.Identified, link.Card.State);
        Assert.Equal(link.UserWallet, link.Card.Wallet);
        Assert.Equal(900, link.Moved.Sum(m => m.Amount));
        Assert.All(link.Moved, m => Assert.Equal((cardWallet, link.UserWallet), (m.From, m.To)));
        Assert.Equal(700, (await net.BalancesAsync(card))[net.Tlf.Id]);
        Assert.Equal(0, await LedgerSql.BalanceAsync(fixture.Database.DataSource, cardWallet, net.Tlf.Id));
        Assert.Equal(1, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1 AND kind = $2", key.Value, (short)TransactionKind.Fusion));

        // The same link again is idempotent: it answers with the first movements and moves nothing more.
        var again = await LinkAsync(net, card, key, email);
        Assert.Equal(link.UserWallet, again.UserWallet);
        Assert.Equal(link.Moved, again.Moved);
        Assert.Equal(1, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", key.Value));

        // Linked again under a new key, there is nothing left to move, and nothing is written.
        var fresh = TestNetwork.NewKey();
        var relinked = await LinkAsync(net, card, fresh, email);
        Assert.Empty(relinked.Moved);
        Assert.Equal(0, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", fresh.Value));

        // The wallet's fusion itself, retried with its key, replays the first result from the ledger (nothing is kept in memory).
        var replay = await fixture.Grains.GetWallet(cardWallet).FuseIntoAsync(new FusionRequest(key, link.UserWallet, card), Ct);
        Assert.Equal(900, replay.Movements.Sum(m => m.Amount));
        await using (var cmd = fixture.Database.DataSource.CreateCommand("SELECT operation_id FROM ledger_operations WHERE idempotency_key = $1"))
        {
            cmd.Parameters.Add(new() { Value = key.Value });
            Assert.Equal(await cmd.ExecuteScalarAsync(Ct), replay.OperationId);
        }

        Assert.True((await net.PayAsync(card, 800)).Approved);
    }

    [Fact]
    public async Task A_counter_link_is_refused_when_the_user_wallet_already_has_a_card_and_a_balance()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (victim, attacker, other) = (await net.NewCardAsync(), await net.NewCardAsync(), await net.NewCardAsync());
        var email = NewEmail();
        await LinkAsync(net, victim, TestNetwork.NewKey(), email);
        await net.RefillAsync(victim, 1_000);
        await net.RefillAsync(attacker, 10);

        // At a counter (mailed confirmation), knowing the e-mail never reaches the victim's balance: refused before any mail.
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.Card(attacker).StartLinkAsync(new StartCardLinkRequest(TestNetwork.NewKey(), net.Venue, email), Ct));

        Assert.Equal(CardState.Anonymous, (await net.Card(attacker).GetDetailsAsync(Ct)).State);
        Assert.Equal(10, (await net.BalancesAsync(attacker))[net.Tlf.Id]);
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => LinkAsync(net, victim, TestNetwork.NewKey(), NewEmail()));

        // With a card but no balance, a second card may join.
        var empty = NewEmail();
        await LinkAsync(net, other, TestNetwork.NewKey(), empty);
        var joined = await net.Card(attacker).StartLinkAsync(new StartCardLinkRequest(TestNetwork.NewKey(), net.Venue, empty), Ct);
        Assert.False(joined.Confirmed);
        Assert.Equal(CardState.Anonymous, (await net.Card(attacker).GetDetailsAsync(Ct)).State);
    }

    [Fact]
    public async Task A_lost_card_is_detached_and_a_new_card_gets_the_balance()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (lost, replacement) = (await net.NewCardAsync(), await net.NewCardAsync());
        var email = NewEmail();
        var link = await LinkAsync(net, lost, TestNetwork.NewKey(), email);
        await net.RefillAsync(lost, 1_500);
        await net.Card(lost).GrantCashierAsync(net.Venue, Ct);

        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => net.Card(lost).DeclareLostAsync(NewEmail(), Ct));
        var declared = await net.Card(lost).DeclareLostAsync(email, Ct);
        Assert.Equal(CardState.Lost, declared.State);
        Assert.Null(declared.Wallet);
        Assert.Equal(CardState.Lost, (await net.Card(lost).DeclareLostAsync(email, Ct)).State);

        var pay = await net.PayAsync(lost, 100);
        Assert.False(pay.Approved);
        Assert.Equal(DeclineReason.CardLost, pay.Reason);
        Assert.Equal(DeclineReason.CardLost, (await net.RefillAsync(lost, 100)).Reason);
        Assert.False(await net.Card(lost).IsCashierAtAsync(net.Venue, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.Card(lost).GetBalancesAsync(null, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => LinkAsync(net, lost, TestNetwork.NewKey(), email));

        // The lost card counts as the owner's card: a counter link to this e-mail is refused; the owner links the new card.
        await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => net.Card(replacement).StartLinkAsync(new StartCardLinkRequest(TestNetwork.NewKey(), net.Venue, email), Ct));
        var relinked = await LinkAsync(net, replacement, TestNetwork.NewKey(), email);
        Assert.Equal(link.UserWallet, relinked.UserWallet);
        Assert.Equal(1_500, (await net.BalancesAsync(replacement))[net.Tlf.Id]);
    }

    [Fact]
    public async Task Cashier_rights_are_granted_and_revoked_per_venue()
    {
        var one = await TestNetwork.CreateAsync(fixture);
        var two = await TestNetwork.CreateAsync(fixture);
        var card = await one.NewCardAsync();
        var customer = await one.NewCardAsync();

        await one.Card(card).GrantCashierAsync(one.Venue, Ct);
        var both = await one.Card(card).GrantCashierAsync(two.Venue, Ct);
        Assert.Equal(2, both.CashierAt.Length);
        Assert.Equal(2, (await one.Card(card).GrantCashierAsync(two.Venue, Ct)).CashierAt.Length);

        var revoked = await one.Card(card).RevokeCashierAsync(one.Venue, Ct);
        Assert.Equal([two.Venue], revoked.CashierAt);
        Assert.False(await one.Card(card).IsCashierAtAsync(one.Venue, Ct));
        Assert.True(await one.Card(card).IsCashierAtAsync(two.Venue, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.Forbidden, () => one.Card(customer).RefillAsync(new RefillRequest(TestNetwork.NewKey(), one.Venue, card, 100, PaymentMeans.Cash), Ct));
        Assert.True((await one.Card(customer).RefillAsync(new RefillRequest(TestNetwork.NewKey(), two.Venue, card, 100, PaymentMeans.Cash), Ct)).Approved);

        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetCard(card));
        Assert.Equal([two.Venue], (await one.Card(card).GetDetailsAsync(Ct)).CashierAt);
        await DomainAssert.ThrowsAsync(ErrorCodes.NotFound, () => one.Card(card).GrantCashierAsync(TestNetwork.NewVenueId(), Ct));
    }
}

using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Cards;

/// <summary>The two doors of a sale: one card at its own wallet grain, two cards at the card grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CardPaymentsTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CardWallets NewPayments() => new(fixture.Grains, new CardStore(fixture.Database.DataSource));

    [Fact]
    public async Task A_card_declared_lost_stops_paying_at_once_though_its_wallet_already_knew_it()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);

        var email = EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org");
        var link = await net.Card(card).LinkToOwnerAsync(new OwnerLinkRequest(TestNetwork.NewKey(), email, (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);
        await net.Card(card).DeclareLostAsync(email, Ct);
        var key = TestNetwork.NewKey();
        var declined = await net.PayThroughAsync(payments, card, net.Sale(100, key), Ct);

        Assert.False(declined.Approved);
        Assert.Equal(DeclineReason.CardLost, declined.Reason);
        Assert.Equal(800, await LedgerSql.BalanceAsync(fixture.Database.DataSource, link.UserWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", key.Value));
    }

    [Fact]
    public async Task A_card_linked_to_an_email_pays_from_the_user_wallet_though_its_own_wallet_paid_before()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var card = await net.NewCardAsync();
        var cardWallet = await CardWalletAsync(card);
        await net.RefillAsync(card, 1_000);
        Assert.True((await net.PayThroughAsync(payments, card, net.Sale(100), Ct)).Approved);

        var link = await net.Card(card).LinkToOwnerAsync(
            new OwnerLinkRequest(TestNetwork.NewKey(), EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org"), (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);
        var paid = await net.PayThroughAsync(payments, card, net.Sale(250), Ct);

        Assert.True(paid.Approved);
        Assert.All(paid.Movements, m => Assert.Equal(link.UserWallet, m.From));
        Assert.Equal(650, await LedgerSql.BalanceAsync(fixture.Database.DataSource, link.UserWallet, net.Tlf.Id));
        Assert.Equal(0, await LedgerSql.BalanceAsync(fixture.Database.DataSource, cardWallet, net.Tlf.Id));
    }

    [Fact]
    public async Task An_unknown_card_is_UNKNOWN_CARD_and_pays_once_registered()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var uid = TestNetwork.NewUid();

        await DomainAssert.ThrowsAsync(ErrorCodes.UnknownCard, () => net.PayThroughAsync(payments, uid, net.Sale(100), Ct));

        var registered = await fixture.Grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest("late", [new NewCard(uid.Value, TestNetwork.NewNumber().Value, "qr-" + uid.Value)]), Ct);
        Assert.Equal(1, registered.Registered);
        await net.RefillAsync(uid, 300);
        Assert.True((await net.PayThroughAsync(payments, uid, net.Sale(300), Ct)).Approved);
    }

    [Fact]
    public async Task A_two_card_sale_starts_at_the_card_and_each_wallet_checks_it_is_the_card_s_own()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var payments = NewPayments();
        var (card, other) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(card, 100);
        await net.RefillAsync(other, 500);

        var joint = await net.PayThroughAsync(payments, card, net.Sale(400, complement: PaymentMeans.SecondCard, complementCard: other), Ct);
        Assert.True(joint.Approved);
        Assert.Equal((100, 300), (joint.PaidByCard, joint.PaidByComplementCard));

        // The wallet of another card, or a second card named on the wallet's own path, is a caller's mistake.
        var otherWallet = fixture.Grains.GetWallet(await CardWalletAsync(other));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => otherWallet.PayWithCardAsync(net.Sale(10), card, Ct));
        var ownWallet = fixture.Grains.GetWallet(await CardWalletAsync(card));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => ownWallet.PayWithCardAsync(net.Sale(10, complement: PaymentMeans.SecondCard, complementCard: other), card, Ct));
        Assert.Equal(200, await LedgerSql.BalanceAsync(fixture.Database.DataSource, await CardWalletAsync(other), net.Tlf.Id));
    }

    [Fact]
    public async Task Each_door_takes_only_its_own_kind_of_sale_and_writes_nothing_otherwise()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (card, other) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(card, 500);
        var key = TestNetwork.NewKey();

        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.Card(card).PayWithSecondCardAsync(net.Sale(100, key), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => net.Card(card).PayWithSecondCardAsync(net.Sale(100, key, PaymentMeans.Cash, other), Ct));

        Assert.Equal(0, await LedgerSql.ScalarAsync(fixture.Database.DataSource, "SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", key.Value));
        Assert.True((await net.PayAsync(card, 100, key)).Approved);
    }

    [Fact]
    public async Task An_identified_card_pays_at_its_user_wallet_too_but_a_lost_one_pays_at_neither()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var email = EmailAddress.Parse($"u{Guid.NewGuid():N}@example.org");
        var link = await net.Card(card).LinkToOwnerAsync(new OwnerLinkRequest(TestNetwork.NewKey(), email, (await net.Card(card).GetDetailsAsync(Ct)).QrId), Ct);
        var userWallet = fixture.Grains.GetWallet(link.UserWallet);

        Assert.True((await userWallet.PayWithCardAsync(net.Sale(100), card, Ct)).Approved);
        await net.Card(card).DeclareLostAsync(email, Ct);

        Assert.Equal(DeclineReason.CardLost, (await userWallet.PayWithCardAsync(net.Sale(100), card, Ct)).Reason);
        Assert.Equal(DeclineReason.CardLost, (await net.PayAsync(card, 100)).Reason);
        Assert.Equal(900, await LedgerSql.BalanceAsync(fixture.Database.DataSource, link.UserWallet, net.Tlf.Id));
    }

    private async Task<WalletId> CardWalletAsync(CardUid card) =>
        await new CardStore(fixture.Database.DataSource).FindCardWalletAsync(card, Ct) ?? throw new InvalidOperationException("No such card.");
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Ledger;

[Collection(ClusterCollection.Name)]
public sealed class LedgerHistoryTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task History_pages_newest_first_with_filters()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var (card, other) = (await net.NewCardAsync(), await net.NewCardAsync());
        await net.RefillAsync(card, 1_000);
        await net.RefillAsync(other, 1_000);
        for (var i = 1; i <= 5; i++)
        {
            Assert.True((await net.PayAsync(card, i * 10)).Approved);
        }

        var queries = new LedgerHistory(fixture.Database.DataSource);
        var wallet = await net.WalletOfAsync(card);

        var first = await queries.GetHistoryAsync(new HistoryFilter(Wallet: wallet), 4, null, Ct);
        var second = await queries.GetHistoryAsync(new HistoryFilter(Wallet: wallet), 4, first.EndCursor, Ct);

        Assert.True(first.HasNextPage);
        Assert.False(second.HasNextPage);
        Assert.Equal([50L, 40, 30, 20], first.Items.Select(t => t.Amount));
        Assert.Equal([10L, 1_000], second.Items.Select(t => t.Amount));
        Assert.Equal(TransactionKind.Refill, second.Items[^1].Kind);

        var sales = await queries.GetHistoryAsync(new HistoryFilter(Venue: net.Venue, Kind: TransactionKind.Sale), 50, null, Ct);
        Assert.Equal(5, sales.Items.Length);
        Assert.All(sales.Items, t => Assert.Equal(card, t.Card));
        var byCard = await queries.GetHistoryAsync(new HistoryFilter(Card: other), 50, null, Ct);
        Assert.Equal(TransactionKind.Refill, Assert.Single(byCard.Items).Kind);
        var none = await queries.GetHistoryAsync(new HistoryFilter(Venue: net.Venue, From: DateTimeOffset.UtcNow.AddHours(1)), 50, null, Ct);
        Assert.Empty(none.Items);
        Assert.Null(none.EndCursor);
        var all = await queries.GetHistoryAsync(new HistoryFilter(Venue: net.Venue, From: DateTimeOffset.UtcNow.AddHours(-1), To: DateTimeOffset.UtcNow.AddHours(1)), 50, null, Ct);
        Assert.Equal(7, all.Items.Length);
        Assert.Equal(850, (await queries.GetBalancesAsync(wallet, Ct)).Single().Amount);

        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => queries.GetHistoryAsync(new HistoryFilter(), 0, null, Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.BadUserInput, () => queries.GetHistoryAsync(new HistoryFilter(), 10, "not-a-cursor", Ct));
    }

    [Fact]
    public async Task VerifyLedger_is_clean_through_the_grain()
    {
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 500);
        await net.PayAsync(card, 200);

        var verification = await fixture.Grains.GetLedger().VerifyAsync(Ct);

        Assert.True(verification.Clean, string.Join("\n", verification.Mismatches.Select(m => m.Detail)));
        Assert.True(verification.Transactions >= 2);
        Assert.True(verification.Chains >= 1);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>
/// A second activation of a wallet, played by a writer of its own (as on a silo that was frozen, declared dead and
/// resumed), spends with the wallet's next sequence number. The activation the test talks to is now stale: the database
/// refuses its write, it unloads, and the client's retry with the same key runs once on a fresh activation.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StaleActivationTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stale_wallet_activation_is_refused_unloads_answers_UNAVAILABLE_and_the_retry_runs_once()
    {
        var db = fixture.Database.DataSource;
        var net = await TestNetwork.CreateAsync(fixture);
        var card = await net.NewCardAsync();
        await net.RefillAsync(card, 1_000);
        var wallet = await net.WalletOfAsync(card);
        Assert.Equal(1_000, (await net.BalancesAsync(card))[net.Tlf.Id]);

        await using var other = new LedgerWriter(db, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);
        var seq = await LedgerSql.ScalarAsync(db, "SELECT coalesce(max(seq), 0) FROM ledger_wallet_sequence WHERE wallet_id = $1", wallet.Value);
        var elsewhere = new LedgerEntry(Guid.CreateVersion7(), TestNetwork.NewKey(), new byte[32], TransactionKind.Sale,
            [new LedgerLine(net.Tlf.Id, 300, wallet, net.VenueWallet)], [new WalletSequence(wallet, seq + 1)], [0], net.Venue, card);
        Assert.Equal(LedgerCommitStatus.Committed, (await other.SubmitAsync(elsewhere)).Status);

        // The grain still believes 1,000 and the old sequence number: its write is refused, nothing is written.
        var sale = net.Sale(300, TestNetwork.NewKey());
        await DomainAssert.ThrowsAsync(ErrorCodes.Unavailable, () => net.PayAsync(card, sale, Ct));
        Assert.Equal(0, await LedgerSql.OperationsWithKeyAsync(db, sale.Key));

        // It unloaded itself: the directory no longer knows an activation of the wallet.
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await management.GetActivationAddress(fixture.Grains.GetWallet(wallet), Ct) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stale wallet activation did not unload");
            await Task.Delay(50, Ct);
        }

        // The client's retry with the same key runs once, from the database's truth; a further retry replays it.
        var retried = await net.PayAsync(card, sale, Ct);
        Assert.True(retried.Approved);
        var again = await net.PayAsync(card, sale, Ct);
        Assert.Equal(retried.OperationId, again.OperationId);
        Assert.Equal(1, await LedgerSql.OperationsWithKeyAsync(db, sale.Key));
        Assert.Equal(400, (await net.BalancesAsync(card))[net.Tlf.Id]);
        await LedgerSql.AssertInvariantsAsync(db);
    }
}

using System.Collections.Concurrent;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Ledger;

/// <summary>A cluster of two silos, each with its own LedgerWriter and hash chain.</summary>
public sealed class TwoSiloClusterFixture : ClusterFixture
{
    protected override short InitialSilos => 2;
}

/// <summary>
/// Sales on both silos while wallet grains are moved from one silo to the other under load: whichever silo holds a
/// wallet at the moment writes its operation, through its own writer, and nothing is lost, doubled or mis-sequenced.
/// </summary>
public sealed class TwoSiloTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    private const int Cards = 40;
    private const int Sales = 1_500;
    private const int Moves = 40;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sales_while_wallets_move_between_silos_are_each_committed_once()
    {
        var cluster = fixture.Cluster;
        var db = fixture.Database.DataSource;
        var silos = cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        Assert.Equal(2, silos.Length);

        var net = await TestNetwork.CreateAsync(fixture);
        var cards = await net.NewCardsAsync(Cards);
        var wallets = new Dictionary<CardUid, WalletId>();
        foreach (var card in cards)
        {
            wallets[card] = await net.WalletOfAsync(card);
            Assert.True((await net.RefillAsync(card, 10_000)).Approved);
        }

        var prefix = "two-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var approved = new ConcurrentDictionary<string, (Guid OperationId, long Amount)>();
        var declined = new ConcurrentDictionary<string, bool>();
        var retried = 0;
        var moved = 0;

        var sales = Parallel.ForEachAsync(Enumerable.Range(0, Sales), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, _) =>
        {
            // Sales keep pace with the moves, so the moves land amid the sales however fast this machine is.
            while (Volatile.Read(ref moved) < (long)i * Moves / Sales)
            {
                await Task.Delay(1, Ct);
            }

            var rnd = new Random(i * 7_919);
            var card = cards[rnd.Next(cards.Length)];
            var key = new IdempotencyKey(prefix + i);
            var amount = 10 + rnd.Next(200);
            PaymentResult result;
            try
            {
                result = await net.PayAsync(card, amount, key);
            }
            catch (Exception e) when (e is not DomainException)
            {
                // A call caught by a move may fail in transit; a client retries with the same key and gets the outcome.
                Interlocked.Increment(ref retried);
                result = await net.PayAsync(card, amount, key);
            }

            if (result.Approved)
            {
                approved[key.Value] = (result.OperationId!.Value, amount);
            }
            else
            {
                declined[key.Value] = true;
            }
        });

        // Meanwhile, move wallets to the silo they are not on, one after the other.
        var rnd = new Random(42);
        while (moved < Moves)
        {
            var wallet = fixture.Grains.GetWallet(wallets[cards[rnd.Next(cards.Length)]]);
            if (cluster.TryGetGrainContext(wallet.GetGrainId(), out var context))
            {
                var target = silos.First(s => !s.Equals(context.Address.SiloAddress));
                await cluster.MigrateAsync(wallet, target);
                Interlocked.Increment(ref moved);
            }
            else
            {
                await Task.Delay(1, Ct); // not active anywhere right now: pick another
            }
        }

        await sales;

        // Every approved sale is stored once, under its own operation id; no declined one is.
        var stored = await LedgerSql.OperationsByKeyPrefixAsync(db, prefix);

        Assert.Equal(approved.Keys.Order(), stored.Keys.Order());
        Assert.All(approved, a => Assert.Equal(a.Value.OperationId, stored[a.Key]));
        Assert.All(declined.Keys, k => Assert.False(stored.ContainsKey(k)));

        // Both silos' writers committed some of them (moves guarantee each silo held wallets), in separate chains.
        var writers = await LedgerSql.ScalarAsync(db, "SELECT count(DISTINCT writer_id) FROM ledger_operations WHERE idempotency_key LIKE $1", prefix + "%");
        Assert.Equal(2, writers);

        // The venue got exactly the approved sales; each card's grain agrees with the database.
        Assert.Equal(approved.Values.Sum(a => a.Amount), await LedgerSql.BalanceAsync(db, net.VenueWallet, net.Tlf.Id));
        foreach (var card in cards)
        {
            var inDatabase = await LedgerSql.BalanceAsync(db, wallets[card], net.Tlf.Id);
            Assert.Equal(inDatabase, (await net.BalancesAsync(card)).GetValueOrDefault(net.Tlf.Id));
        }

        // Each wallet's sequence numbers run 1, 2, 3… with no gap: no activation claimed a number twice or skipped one.
        Assert.Equal(0, await LedgerSql.ScalarAsync(db,
            "SELECT count(*) FROM (SELECT wallet_id, max(seq) AS top, count(*) AS n FROM ledger_wallet_sequence WHERE wallet_id = ANY($1) GROUP BY wallet_id) s WHERE top <> n",
            wallets.Values.Select(w => w.Value).ToArray()));
        await LedgerSql.AssertInvariantsAsync(db);
        TestContext.Current.SendDiagnosticMessage($"{approved.Count} approved, {declined.Count} declined, {moved} moves, {retried} retried after a failure in transit");
    }
}

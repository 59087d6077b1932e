using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Ledger;

/// <summary>
/// A randomized concurrent workload: thousands of sales (all crediting one venue), top-ups, transfers, refunds,
/// two-card payments, retries with the same key, keys reused with a changed body, and a second "activation" writing
/// straight to the ledger for the same wallets through another writer. Then the ledger is checked in SQL.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkloadTests(ClusterFixture fixture)
{
    private const int Cards = 150;
    private const int Operations = 3_000;
    private const int Clients = 32;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Ack(string Key, Guid OperationId, IReadOnlyList<AssetMovement> Movements);

    [Fact]
    public async Task Concurrent_workload_keeps_every_invariant_and_every_acknowledged_operation_exactly_once()
    {
        var db = fixture.Database.DataSource;
        var net = await TestNetwork.CreateAsync(fixture);
        var cards = await net.NewCardsAsync(Cards);
        var wallets = new Dictionary<CardUid, WalletId>();
        var acks = new ConcurrentDictionary<string, Ack>();
        var declined = new ConcurrentDictionary<string, bool>();
        var conflicts = 0;
        var retriesMatched = 0;
        var prefix = "wl-" + Guid.NewGuid().ToString("N")[..8] + "-";

        foreach (var card in cards)
        {
            wallets[card] = await net.WalletOfAsync(card);
            var key = prefix + "seed-" + card.Value;
            Record(key, await net.RefillAsync(card, 2_000 + Random.Shared.Next(3_000), key: new IdempotencyKey(key)));
        }

        // The "other activation": its own writer, as on another silo, debiting the same wallets with claimed sequence numbers.
        await using var foreignWriter = new LedgerWriter(db, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);
        var foreignCommitted = 0;
        var foreignRefused = 0;
        var steppedAside = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Operations), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = Ct }, async (i, _) =>
        {
            var rnd = new Random(i * 7919);
            var card = cards[rnd.Next(cards.Length)];
            var key = new IdempotencyKey(prefix + i);
            var dice = rnd.Next(100);
            if (dice < 60)
            {
                var sale = net.Sale(50 + rnd.Next(1_500), key, rnd.Next(10) == 0 ? PaymentMeans.Cash : PaymentMeans.None);
                var result = await RetryAsync(() => net.PayAsync(card, sale, Ct));
                Record(key.Value, result);
                if (rnd.Next(10) == 0)
                {
                    // A client retry with the same key and body: the first result, not a second movement.
                    var again = await RetryAsync(() => net.PayAsync(card, sale, Ct));
                    if (result.Approved)
                    {
                        Assert.Equal(result.OperationId, again.OperationId);
                        Interlocked.Increment(ref retriesMatched);
                    }
                    else
                    {
                        // A decline writes nothing and keeps the key free: the retry may be approved if a top-up landed since.
                        Record(key.Value, again);
                    }
                }

                if (result.Approved && rnd.Next(20) == 0)
                {
                    await DomainAssert.ThrowsAsync(ErrorCodes.Conflict, () => RetryAsync(() => net.PayAsync(card, sale with { Lines = [new SaleLine("Autre", 1, 1)] }, Ct)));
                    Interlocked.Increment(ref conflicts);
                }
            }
            else if (dice < 68)
            {
                var other = cards[rnd.Next(cards.Length)];
                if (wallets[other] == wallets[card])
                {
                    return;
                }

                Record(key.Value, await RetryAsync(() => net.PayAsync(card, net.Sale(500 + rnd.Next(4_000), key, PaymentMeans.SecondCard, other), Ct)));
            }
            else if (dice < 78)
            {
                Record(key.Value, await RetryAsync(() => net.RefillAsync(card, 100 + rnd.Next(2_000), rnd.Next(4) == 0 ? net.Tnf.Id : null, key)));
            }
            else if (dice < 86)
            {
                var to = wallets[cards[rnd.Next(cards.Length)]];
                if (to == wallets[card])
                {
                    return;
                }

                Record(key.Value, await RetryAsync(() => fixture.Grains.GetWallet(wallets[card]).TransferAsync(new TransferRequest(key, to, net.Tlf.Id, 1 + rnd.Next(800)), Ct)));
            }
            else if (dice < 91)
            {
                Record(key.Value, await RetryAsync(() => net.Card(card).RefundAsync(new RefundRequest(key, net.Venue, net.Cashier, 1 + rnd.Next(500), Presence: CardPresence.Tap), Ct)));
            }
            else
            {
                // A second activation of this wallet debits it directly, claiming the next sequence number (racing the
                // grain) or a stale one. The database must refuse whatever would double-spend.
                var wallet = wallets[card];
                var seq = await LedgerSql.ScalarAsync(db, "SELECT coalesce(max(seq), 0) FROM ledger_wallet_sequence WHERE wallet_id = $1", wallet.Value);
                var claim = rnd.Next(3) == 0 && seq > 0 ? seq : seq + 1;
                var amount = 1 + rnd.Next(300);
                var entry = new LedgerEntry(Guid.CreateVersion7(), key, new byte[32], TransactionKind.Sale,
                    [new LedgerLine(net.Tlf.Id, amount, wallet, net.VenueWallet)], [new WalletSequence(wallet, claim)], [0], net.Venue, card);
                var commit = await foreignWriter.SubmitAsync(entry);
                if (commit.Status == LedgerCommitStatus.Committed)
                {
                    acks[key.Value] = new Ack(key.Value, entry.OperationId, [new AssetMovement(net.Tlf.Id, amount, wallet, net.VenueWallet)]);
                    Interlocked.Increment(ref foreignCommitted);
                }
                else
                {
                    Assert.True(commit.Status is LedgerCommitStatus.SequenceConflict or LedgerCommitStatus.BalanceRefused, commit.Status.ToString());
                    declined[key.Value] = true;
                    Interlocked.Increment(ref foreignRefused);
                }
            }
        });

        // Every acknowledged operation is in the database exactly once, with exactly its movements.
        var stored = await LedgerSql.OperationsByKeyPrefixAsync(db, prefix);

        Assert.Equal(acks.Keys.Order(), stored.Keys.Order());
        Assert.All(acks.Values, a => Assert.Equal(a.OperationId, stored[a.Key]));
        Assert.All(declined.Keys, key => Assert.False(stored.ContainsKey(key)));
        var movementRows = await LedgerSql.ScalarAsync(db,
            "SELECT count(*) FROM ledger_transactions t JOIN ledger_operations o USING (operation_id) WHERE o.idempotency_key LIKE $1", prefix + "%");
        Assert.Equal(acks.Values.Sum(a => a.Movements.Count), movementRows);

        // Replaying the acknowledged movements gives exactly the stored balances of every card wallet and of the venue.
        var expected = new Dictionary<(WalletId, AssetId), long>();
        foreach (var m in acks.Values.SelectMany(a => a.Movements))
        {
            expected[(m.From, m.Asset)] = expected.GetValueOrDefault((m.From, m.Asset)) - m.Amount;
            expected[(m.To, m.Asset)] = expected.GetValueOrDefault((m.To, m.Asset)) + m.Amount;
        }

        foreach (var wallet in wallets.Values.Append(net.VenueWallet))
        {
            foreach (var asset in new[] { net.Tlf.Id, net.Tnf.Id })
            {
                Assert.Equal(expected.GetValueOrDefault((wallet, asset)), await LedgerSql.BalanceAsync(db, wallet, asset));
            }
        }

        // The grains' answers agree with the database after the foreign debits (they reloaded where they were stale).
        foreach (var card in cards.Take(20))
        {
            var seen = await net.BalancesAsync(card);
            Assert.Equal(expected.GetValueOrDefault((wallets[card], net.Tlf.Id)), seen.GetValueOrDefault(net.Tlf.Id));
        }

        await LedgerSql.AssertInvariantsAsync(db);
        Assert.True(acks.Count > Operations / 2, $"only {acks.Count} acknowledged");
        Assert.False(declined.IsEmpty);
        Assert.True(retriesMatched > 0 && conflicts > 0 && foreignCommitted > 0 && foreignRefused > 0,
            $"retries {retriesMatched}, conflicts {conflicts}, foreign committed {foreignCommitted}, refused {foreignRefused}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{steppedAside} stale wallet activations stepped aside and were retried");

        // A wallet whose next sequence number the foreign writer took unloads and answers UNAVAILABLE; a client retries
        // with the same key and reaches a fresh activation.
        async Task<T> RetryAsync<T>(Func<Task<T>> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await call();
                }
                catch (DomainException e) when (e.Code == ErrorCodes.Unavailable && attempt < 10)
                {
                    Interlocked.Increment(ref steppedAside);
                }
            }
        }

        void Record(string key, object result)
        {
            switch (result)
            {
                case PaymentResult { Approved: true } p:
                    acks[key] = new Ack(key, p.OperationId!.Value, p.Movements);
                    break;
                case MovementResult { Approved: true } m:
                    acks[key] = new Ack(key, m.OperationId!.Value, m.Movements);
                    break;
                case RefundResult { Approved: true } r:
                    acks[key] = new Ack(key, r.OperationId!.Value, r.Movements);
                    break;
                default:
                    declined[key] = true;
                    return;
            }

            declined.TryRemove(key, out _);
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Gathered wallet loads: many at once, each caller gets exactly its own wallet's state.</summary>
public sealed class WalletStoreTests : IAsyncLifetime
{
    private TiBillet.Silo.Hosting.TiBilletDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestPostgres.CreateMigratedDatabaseAsync("store");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Concurrent_loads_each_get_their_own_wallet_even_when_gathered_into_one_query()
    {
        var db = _database.DataSource;
        await using var writer = new LedgerWriter(db, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);
        var (tlf, tnf) = (AssetId.New(), AssetId.New());
        // 600 card wallets (more than one gathered query holds), wallet i holding i cents of TLF and, for even i, 2i of TNF after i % 3 operations.
        var wallets = Enumerable.Range(0, 600).Select(_ => WalletId.New()).ToArray();
        await LedgerSql.ScalarAsync(db, "INSERT INTO ledger_wallets (wallet_id, kind) SELECT unnest($1::uuid[]), 1 RETURNING 0", wallets.Select(w => w.Value).ToArray());
        await Task.WhenAll(wallets.Select(async (w, i) =>
        {
            var seq = 0;
            if (i > 0)
            {
                await writer.SubmitAsync(TiBillet.Grains.Tests.Ledger.LedgerWriterTests.Entry(tlf, i, WalletId.MintOf(tlf), w, new WalletSequence(w, ++seq)));
            }

            if (i % 2 == 0 && i > 0)
            {
                await writer.SubmitAsync(TiBillet.Grains.Tests.Ledger.LedgerWriterTests.Entry(tnf, 2 * i, WalletId.MintOf(tnf), w, new WalletSequence(w, ++seq)));
            }
        }));
        using var store = new WalletStore(db);
        var unknown = WalletId.New();

        // Every wallet twice (two activations may load the same wallet) and one unknown wallet, all at once.
        var requests = wallets.Concat(wallets).Append(unknown).ToArray();
        var snapshots = await Task.WhenAll(requests.Select(w => store.LoadAsync(w, null, TestContext.Current.CancellationToken)));

        for (var r = 0; r < requests.Length - 1; r++)
        {
            var i = r % wallets.Length;
            var snapshot = snapshots[r];
            Assert.Equal(WalletKind.Card, snapshot.Kind);
            Assert.Equal(i == 0 ? 0 : i % 2 == 0 ? 2 : 1, snapshot.Sequence);
            Assert.Equal(i == 0 ? 0 : i, snapshot.Balances.GetValueOrDefault(tlf));
            Assert.Equal(i > 0 && i % 2 == 0 ? 2 * i : 0, snapshot.Balances.GetValueOrDefault(tnf));
        }

        Assert.NotSame(snapshots[1].Balances, snapshots[1 + wallets.Length].Balances);
        Assert.Null(snapshots[^1].Kind);
        Assert.Empty(snapshots[^1].Balances);
        Assert.Equal(0, snapshots[^1].Sequence);
    }

    [Fact]
    public async Task A_failed_gathered_read_fails_its_callers_and_the_next_read_works()
    {
        var db = _database.DataSource;
        using var store = new WalletStore(db);
        await LedgerSql.ScalarAsync(db, "ALTER TABLE ledger_balances RENAME TO ledger_balances_away");

        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => store.LoadAsync(WalletId.New(), null, TestContext.Current.CancellationToken));

        await LedgerSql.ScalarAsync(db, "ALTER TABLE ledger_balances_away RENAME TO ledger_balances");
        Assert.Null((await store.LoadAsync(WalletId.New(), null, TestContext.Current.CancellationToken)).Kind);
    }
}

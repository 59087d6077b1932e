using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Ledger;

/// <summary>The writer alone, on its own database (these tests tamper with rows).</summary>
public sealed class LedgerWriterTests : IAsyncLifetime
{
    private TiBillet.Silo.Hosting.TiBilletDatabase _database = null!;

    private NpgsqlDataSource Db => _database.DataSource;

    public async ValueTask InitializeAsync() => _database = await TestPostgres.CreateMigratedDatabaseAsync("writer");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private LedgerWriter NewWriter(int maxBatch = 512, int maxWaitMs = 1) =>
        new(Db, Options.Create(new LedgerWriterOptions { MaxBatch = maxBatch, MaxWait = TimeSpan.FromMilliseconds(maxWaitMs) }), NullLogger<LedgerWriter>.Instance);

    internal static LedgerEntry Entry(AssetId asset, long amount, WalletId from, WalletId to, params WalletSequence[] sequences) =>
        new(Guid.CreateVersion7(), TestNetwork.NewKey(), new byte[32], TransactionKind.Transfer, [new LedgerLine(asset, amount, from, to)], [.. sequences], [1, 2, 3]);

    [Fact]
    public async Task Issue_then_debit_commits_and_returns_balances()
    {
        await using var writer = NewWriter();
        var asset = AssetId.New();
        var (a, b) = (WalletId.New(), WalletId.New());
        var issue = await writer.SubmitAsync(Entry(asset, 1_000, WalletId.MintOf(asset), a, new WalletSequence(a, 1)));
        Assert.Equal(LedgerCommitStatus.Committed, issue.Status);
        var pay = await writer.SubmitAsync(Entry(asset, 400, a, b, new WalletSequence(a, 2)));
        Assert.Equal(LedgerCommitStatus.Committed, pay.Status);
        Assert.Equal(600, Assert.Single(pay.Balances).Balance);
        Assert.Equal(400, await LedgerSql.BalanceAsync(Db, b, asset));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task A_stale_sequence_number_is_refused_without_failing_its_batch_mates()
    {
        await using var writer = NewWriter(maxWaitMs: 50);
        var asset = AssetId.New();
        var mint = WalletId.MintOf(asset);
        var wallets = Enumerable.Range(0, 20).Select(_ => WalletId.New()).ToArray();
        foreach (var w in wallets)
        {
            Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 100, mint, w, new WalletSequence(w, 1)))).Status);
        }

        // One batch: 19 good debits and one that reuses wallet 0's sequence number 1, as a stale activation would.
        var sink = WalletId.New();
        var good = wallets.Select(w => writer.SubmitAsync(Entry(asset, 10, w, sink, new WalletSequence(w, 2)))).ToArray();
        var stale = writer.SubmitAsync(Entry(asset, 50, wallets[0], sink, new WalletSequence(wallets[0], 1)));
        var results = await Task.WhenAll(good);

        Assert.All(results, r => Assert.Equal(LedgerCommitStatus.Committed, r.Status));
        Assert.Equal(LedgerCommitStatus.SequenceConflict, (await stale).Status);
        Assert.Equal(200, await LedgerSql.BalanceAsync(Db, sink, asset));
        Assert.Equal(90, await LedgerSql.BalanceAsync(Db, wallets[0], asset));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task An_overdraft_is_refused_by_the_database()
    {
        await using var writer = NewWriter();
        var asset = AssetId.New();
        var (a, b) = (WalletId.New(), WalletId.New());
        await writer.SubmitAsync(Entry(asset, 100, WalletId.MintOf(asset), a, new WalletSequence(a, 1)));

        var overdraft = await writer.SubmitAsync(Entry(asset, 101, a, b, new WalletSequence(a, 2)));
        var fromEmpty = await writer.SubmitAsync(Entry(asset, 1, b, a, new WalletSequence(b, 1)));

        Assert.Equal(LedgerCommitStatus.BalanceRefused, overdraft.Status);
        Assert.Equal(LedgerCommitStatus.BalanceRefused, fromEmpty.Status);
        Assert.Equal(100, await LedgerSql.BalanceAsync(Db, a, asset));
        Assert.Equal(0, await LedgerSql.ScalarAsync(Db, "SELECT count(*) FROM ledger_wallet_sequence WHERE wallet_id = $1 AND seq = 2", a.Value));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task A_used_key_is_a_duplicate_even_within_one_batch()
    {
        await using var writer = NewWriter(maxWaitMs: 50);
        var asset = AssetId.New();
        var (a, b) = (WalletId.New(), WalletId.New());
        var first = Entry(asset, 100, WalletId.MintOf(asset), a, new WalletSequence(a, 1));
        var twin = first with { OperationId = Guid.CreateVersion7(), Sequences = [new WalletSequence(b, 1)], Lines = [new LedgerLine(asset, 5, WalletId.MintOf(asset), b)] };

        var results = await Task.WhenAll(writer.SubmitAsync(first), writer.SubmitAsync(twin));
        var later = await writer.SubmitAsync(twin with { OperationId = Guid.CreateVersion7() });

        Assert.Equal(LedgerCommitStatus.Committed, results[0].Status);
        Assert.Equal(LedgerCommitStatus.Duplicate, results[1].Status);
        Assert.Equal(first.OperationId, results[1].Existing!.OperationId);
        Assert.Equal(LedgerCommitStatus.Duplicate, later.Status);
        Assert.Equal(first.Result, later.Existing!.Result);
        Assert.Equal(0, await LedgerSql.BalanceAsync(Db, b, asset));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task Group_commit_puts_many_entries_in_one_link_and_honours_MaxBatch()
    {
        await using var writer = NewWriter(maxBatch: 8, maxWaitMs: 200);
        using var meters = new LedgerMetricsListener(writer.WriterId);
        var asset = AssetId.New();
        var entries = Enumerable.Range(0, 40).Select(_ => { var w = WalletId.New(); return Entry(asset, 1, WalletId.MintOf(asset), w, new WalletSequence(w, 1)); }).ToArray();

        var results = await Task.WhenAll(entries.Select(writer.SubmitAsync));

        Assert.All(results, r => Assert.Equal(LedgerCommitStatus.Committed, r.Status));
        Assert.Equal(40, meters.Totals.Operations);
        Assert.InRange(meters.Totals.Batches, 5, 39);
        Assert.True(meters.Totals.Commit > TimeSpan.Zero && meters.Totals.Busy > TimeSpan.Zero);
        Assert.InRange(await LedgerSql.ScalarAsync(Db, "SELECT max(operation_count) FROM ledger_chain WHERE writer_id = $1", writer.WriterId), 2, 8);
        Assert.Equal(40, await LedgerSql.ScalarAsync(Db, "SELECT sum(operation_count) FROM ledger_chain WHERE writer_id = $1", writer.WriterId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task Pipelined_or_waiting_for_the_commit_in_flight_every_entry_commits_once_in_chain_order(int pipelineMinBatch)
    {
        // 1: every batch is written while the previous one commits; 10,000: every batch waits for that commit first.
        await using var writer = new LedgerWriter(Db, Options.Create(new LedgerWriterOptions { PipelineMinBatch = pipelineMinBatch }), NullLogger<LedgerWriter>.Instance);
        var asset = AssetId.New();
        var sink = WalletId.New();
        var wallets = Enumerable.Range(0, 32).Select(_ => WalletId.New()).ToArray();
        await Task.WhenAll(wallets.Select(w => writer.SubmitAsync(Entry(asset, 100, WalletId.MintOf(asset), w, new WalletSequence(w, 1)))));

        var results = await Task.WhenAll(wallets.Select(async w =>
        {
            var statuses = new List<LedgerCommitStatus>();
            for (var seq = 2; seq <= 21; seq++)
            {
                statuses.Add((await writer.SubmitAsync(Entry(asset, 1, w, sink, new WalletSequence(w, seq)))).Status);
            }

            return statuses;
        }));

        Assert.All(results.SelectMany(r => r), s => Assert.Equal(LedgerCommitStatus.Committed, s));
        Assert.Equal(640, await LedgerSql.BalanceAsync(Db, sink, asset));
        foreach (var w in wallets)
        {
            Assert.Equal(80, await LedgerSql.BalanceAsync(Db, w, asset));
        }

        Assert.Equal(
            await LedgerSql.ScalarAsync(Db, "SELECT max(height) FROM ledger_chain WHERE writer_id = $1", writer.WriterId),
            await LedgerSql.ScalarAsync(Db, "SELECT count(*) FROM ledger_chain WHERE writer_id = $1", writer.WriterId));
        Assert.True((await new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken)).Clean);
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task After_a_commit_with_an_unknown_outcome_the_next_batches_commit_and_the_chain_verifies(int pipelineMinBatch)
    {
        await using var writer = new LedgerWriter(Db, Options.Create(new LedgerWriterOptions { PipelineMinBatch = pipelineMinBatch }), NullLogger<LedgerWriter>.Instance);
        var asset = AssetId.New();
        var sink = WalletId.New();
        var wallets = Enumerable.Range(0, 8).Select(_ => WalletId.New()).ToArray();
        await Task.WhenAll(wallets.Select(w => writer.SubmitAsync(Entry(asset, 1_000, WalletId.MintOf(asset), w, new WalletSequence(w, 1)))));
        var commits = 0;
        // Every fifth COMMIT succeeds but its answer is lost: the writer cannot tell whether it committed.
        writer.AfterCommitForTests = () => Interlocked.Increment(ref commits) % 5 == 0 ? throw new TimeoutException("answer lost") : Task.CompletedTask;

        var outcomes = await Task.WhenAll(wallets.Select(async w =>
        {
            var (committed, unknown) = (0, 0);
            for (var seq = 2; seq <= 30; seq++)
            {
                try
                {
                    Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 1, w, sink, new WalletSequence(w, seq)))).Status);
                    committed++;
                }
                catch (LedgerUnavailableException)
                {
                    unknown++; // committed, but the caller was not told: its sequence number is used
                }
            }

            return (committed, unknown);
        }));
        writer.AfterCommitForTests = null;
        var last = await Task.WhenAll(wallets.Select(w => writer.SubmitAsync(Entry(asset, 1, w, sink, new WalletSequence(w, 31)))));

        Assert.Contains(outcomes, o => o.unknown > 0);
        Assert.All(last, c => Assert.Equal(LedgerCommitStatus.Committed, c.Status));
        Assert.Equal(8 * 30, await LedgerSql.BalanceAsync(Db, sink, asset));
        Assert.Equal(
            await LedgerSql.ScalarAsync(Db, "SELECT max(height) FROM ledger_chain WHERE writer_id = $1", writer.WriterId),
            await LedgerSql.ScalarAsync(Db, "SELECT count(*) FROM ledger_chain WHERE writer_id = $1", writer.WriterId));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task A_commit_whose_answer_was_lost_and_that_lands_after_the_tip_was_read_again_does_not_stick_the_writer()
    {
        // The writer's own connections give up on a COMMIT after one second, as on a network cut.
        var server = await TestPostgres.ServerAsync();
        var impatient = new NpgsqlConnectionStringBuilder(server.ConnectionString(new NpgsqlConnectionStringBuilder(Db.ConnectionString).Database!))
        {
            CommandTimeout = 1, CancellationTimeout = 300,
        };
        await using var source = NpgsqlDataSource.Create(impatient.ConnectionString);
        await using var writer = new LedgerWriter(source, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);
        var asset = AssetId.New();
        var (w, sink) = (WalletId.New(), WalletId.New());
        Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 100, WalletId.MintOf(asset), w, new WalletSequence(w, 1)))).Status);

        // The next COMMIT waits (ignoring the writer's cancel) until this session lets it go: it lands late, after the
        // writer gave up on it and read its tip again.
        await using var holder = await Db.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using (var arm = new NpgsqlCommand($"""
            SELECT pg_advisory_lock(4242);
            CREATE TABLE late_commit (armed boolean NOT NULL);
            INSERT INTO late_commit VALUES (true);
            CREATE FUNCTION late_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE n integer;
            BEGIN
                UPDATE late_commit SET armed = false WHERE armed;
                GET DIAGNOSTICS n = ROW_COUNT;
                WHILE n = 1 LOOP
                    BEGIN
                        PERFORM pg_advisory_xact_lock(4242);
                        n := 0;
                    EXCEPTION WHEN query_canceled THEN NULL;
                    END;
                END LOOP;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER late_commit AFTER INSERT ON ledger_chain DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.writer_id = '{writer.WriterId}') EXECUTE FUNCTION late_commit();
            """, holder))
        {
            await arm.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => writer.SubmitAsync(Entry(asset, 10, w, sink, new WalletSequence(w, 2))));
        var next = writer.SubmitAsync(Entry(asset, 10, w, sink, new WalletSequence(w, 3)));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(4242)", holder))
        {
            await release.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(LedgerCommitStatus.Committed, (await next).Status);
        Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 10, w, sink, new WalletSequence(w, 4)))).Status);
        Assert.Equal(30, await LedgerSql.BalanceAsync(Db, sink, asset));
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task Verification_during_a_load_of_sales_reads_one_snapshot_and_is_always_clean()
    {
        await using var writer = new LedgerWriter(Db, Options.Create(new LedgerWriterOptions { PipelineMinBatch = 1 }), NullLogger<LedgerWriter>.Instance);
        var asset = AssetId.New();
        var sink = WalletId.New();
        var wallets = Enumerable.Range(0, 16).Select(_ => WalletId.New()).ToArray();
        await Task.WhenAll(wallets.Select(w => writer.SubmitAsync(Entry(asset, 1_000, WalletId.MintOf(asset), w, new WalletSequence(w, 1)))));
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(wallets.Select(async w =>
        {
            for (var seq = 2; !stop.IsCancellationRequested && seq <= 900; seq++)
            {
                Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 1, w, sink, new WalletSequence(w, seq)))).Status);
            }
        }));

        var verifications = new List<LedgerVerification>();
        try
        {
            for (var i = 0; i < 15; i++)
            {
                verifications.Add(await new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        Assert.All(verifications, v => Assert.True(v.Clean, string.Join("\n", v.Mismatches.Select(m => m.Kind + ": " + m.Detail))));
        Assert.True(verifications[^1].Links > verifications[0].Links, "the sales kept committing during the checks");
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task Each_writer_keeps_its_own_chain_and_verification_detects_tampering()
    {
        await using var one = NewWriter();
        await using var two = NewWriter();
        var asset = AssetId.New();
        var mint = WalletId.MintOf(asset);
        var w = WalletId.New();
        for (var i = 1; i <= 3; i++)
        {
            await one.SubmitAsync(Entry(asset, 10, mint, w, new WalletSequence(w, 2 * i - 1)));
            await two.SubmitAsync(Entry(asset, 10, mint, w, new WalletSequence(w, 2 * i)));
        }

        var clean = await new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.True(clean.Clean);
        Assert.Equal(2, clean.Chains);
        Assert.Equal(6, clean.Links);
        Assert.Equal(6, clean.Transactions);
        Assert.Equal(3, await LedgerSql.ScalarAsync(Db, "SELECT max(height) FROM ledger_chain WHERE writer_id = $1", one.WriterId));

        // An edited amount: the recomputed chain and balance both disagree.
        await LedgerSql.ScalarAsync(Db, "UPDATE ledger_transactions SET amount = 11 WHERE transaction_id = (SELECT min(transaction_id) FROM ledger_transactions) RETURNING 0");
        var edited = await new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.False(edited.Clean);
        Assert.Contains(edited.Mismatches, m => m.Kind == "CHAIN");
        Assert.Contains(edited.Mismatches, m => m.Kind == "BALANCE");

        // A removed link is a gap in its chain.
        await LedgerSql.ScalarAsync(Db, "UPDATE ledger_transactions SET amount = 10 WHERE amount = 11 RETURNING 0");
        await LedgerSql.ScalarAsync(Db, "DELETE FROM ledger_chain WHERE writer_id = $1 AND height = 2 RETURNING 0", two.WriterId);
        var gap = await new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.Contains(gap.Mismatches, m => m.Kind == "CHAIN" && m.Detail.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(gap.Mismatches, m => m.Kind == "CHAIN" && m.Detail.Contains("without a chain link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_balance_row_another_transaction_is_creating_is_added_to_without_splitting_the_batch()
    {
        await using var writer = NewWriter(maxWaitMs: 50);
        using var meters = new LedgerMetricsListener(writer.WriterId);
        var asset = AssetId.New();
        var venue = WalletId.New();

        // Another transaction (another lane's or silo's batch in flight) creates the venue's row and has not committed.
        await using var other = await Db.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var tx = await other.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO ledger_balances (wallet_id, asset_id, balance) VALUES ($1, $2, 0)", other, tx))
        {
            insert.Parameters.Add(new() { Value = venue.Value });
            insert.Parameters.Add(new() { Value = asset.Value });
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // A batch crediting that row waits for it to commit, then adds to it.
        var credits = Enumerable.Range(0, 5).Select(_ => writer.SubmitAsync(Entry(asset, 10, WalletId.MintOf(asset), venue))).ToArray();
        while (await LedgerSql.ScalarAsync(Db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(credits, c => c.IsCompleted);
        await tx.CommitAsync(TestContext.Current.CancellationToken);

        Assert.All(await Task.WhenAll(credits), c => Assert.Equal(LedgerCommitStatus.Committed, c.Status));
        Assert.Equal(50, await LedgerSql.BalanceAsync(Db, venue, asset));
        Assert.Equal(0, meters.Totals.WrittenAlone);
        await LedgerSql.AssertInvariantsAsync(Db);
    }

    [Fact]
    public async Task A_balance_overflow_fails_only_its_entry()
    {
        await using var writer = NewWriter(maxWaitMs: 50);
        var asset = AssetId.New();
        var mint = WalletId.MintOf(asset);
        var (a, b) = (WalletId.New(), WalletId.New());
        await writer.SubmitAsync(Entry(asset, long.MaxValue, mint, a, new WalletSequence(a, 1)));

        var overflow = writer.SubmitAsync(Entry(asset, 1, mint, a, new WalletSequence(a, 2)));
        var other = AssetId.New();
        var fine = writer.SubmitAsync(Entry(other, 5, WalletId.MintOf(other), b, new WalletSequence(b, 1)));

        var ex = await Assert.ThrowsAsync<DomainException>(() => overflow);
        Assert.Equal(ErrorCodes.BadUserInput, ex.Code);
        Assert.Equal(LedgerCommitStatus.Committed, (await fine).Status);
    }

    [Fact]
    public async Task A_connection_killed_between_batches_is_replaced_and_the_next_batch_still_commits()
    {
        // A database of its own, reached under an application name, so that only this writer's backends are killed.
        var connectionString = await TestPostgres.CreateDatabaseAsync("lanes");
        await using var database = await TiBillet.Silo.Hosting.TiBilletDatabase.OpenAsync(
            new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "ledger-lanes" }.ConnectionString, null,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        await using var admin = TestPostgres.DataSource(connectionString);
        await using var writer = new LedgerWriter(database.DataSource, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);
        var asset = AssetId.New();
        var mint = WalletId.MintOf(asset);
        var wallets = Enumerable.Range(0, 4).Select(_ => WalletId.New()).ToArray();
        Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(Entry(asset, 100, mint, wallets[0], new WalletSequence(wallets[0], 1)))).Status);

        for (var round = 1; round < wallets.Length; round++)
        {
            // As a server restart or a failover would: every backend of the writer's data source goes away while idle.
            var killed = await LedgerSql.ScalarAsync(admin,
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ledger-lanes'");
            Assert.True(killed >= 1);
            var w = wallets[round];
            var commit = await writer.SubmitAsync(Entry(asset, 100, mint, w, new WalletSequence(w, 1)));
            Assert.Equal(LedgerCommitStatus.Committed, commit.Status);
        }

        foreach (var w in wallets)
        {
            Assert.Equal(100, await LedgerSql.BalanceAsync(admin, w, asset));
        }

        Assert.Equal(wallets.Length, await LedgerSql.ScalarAsync(admin, "SELECT count(*) FROM ledger_operations"));
        Assert.True((await new LedgerVerifier(admin).VerifyAsync(TestContext.Current.CancellationToken)).Clean);
        await LedgerSql.AssertInvariantsAsync(admin);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Tests.Support;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Ledger;

/// <summary>
/// The hash chain covers every stored fact that history and reports read, and each writer's head: an edited column, a cut
/// chain end or a whole removed chain is reported by the verifier. Each case tampers with its own database.
/// </summary>
public sealed class LedgerChainCoverageTests : IAsyncLifetime
{
    private const string FirstOperation = "(SELECT operation_id FROM ledger_operations ORDER BY operation_id LIMIT 1)";
    private const string FirstTransaction = "(SELECT min(transaction_id) FROM ledger_transactions)";

    // Rebuilds every balance from the remaining movements, so that only the chain and its heads can tell what was removed.
    private const string ForgeBalancesSql =
        """
        DELETE FROM ledger_balances;
        INSERT INTO ledger_balances (wallet_id, asset_id, balance)
        SELECT wallet_id, asset_id, sum(delta) FROM (
            SELECT from_wallet AS wallet_id, asset_id, -amount AS delta FROM ledger_transactions
            UNION ALL SELECT to_wallet, asset_id, amount FROM ledger_transactions) m
        GROUP BY wallet_id, asset_id;
        """;

    private TiBillet.Silo.Hosting.TiBilletDatabase _database = null!;

    private NpgsqlDataSource Db => _database.DataSource;

    public async ValueTask InitializeAsync() => _database = await TestPostgres.CreateMigratedDatabaseAsync("chain");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Every column of an operation or a line that history or reports read, with an edit that keeps the row valid.</summary>
    public static TheoryData<string> Edits() =>
    [
        $"UPDATE ledger_operations SET kind = kind + 1 WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET venue_id = 'another-venue' WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET venue_id = NULL WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET card_uid = 'ABCDEF01' WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET created_at = created_at - interval '1 day' WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET external_amount = external_amount + 1 WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET external_means = 1 WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET result = '\\x00'::bytea WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET idempotency_key = 'tampered-key' WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_operations SET request_hash = '\\x01'::bytea WHERE operation_id = {FirstOperation}",
        $"UPDATE ledger_transactions SET kind = kind + 1 WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET asset_id = gen_random_uuid() WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET amount = amount + 1 WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET from_wallet = gen_random_uuid() WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET to_wallet = gen_random_uuid() WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET venue_id = 'another-venue' WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET card_uid = 'ABCDEF01' WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET created_at = created_at - interval '1 day' WHERE transaction_id = {FirstTransaction}",
        $"UPDATE ledger_transactions SET operation_id = (SELECT operation_id FROM ledger_operations ORDER BY operation_id DESC LIMIT 1) WHERE transaction_id = {FirstTransaction}",
    ];

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Editing_any_column_that_history_or_reports_read_breaks_the_chain(string edit)
    {
        await using (var writer = NewWriter())
        {
            await WriteSalesAsync(writer, 3);
        }

        Assert.True((await VerifyAsync()).Clean);
        await ExecuteAsync(edit);

        var verdict = await VerifyAsync();
        Assert.False(verdict.Clean);
        Assert.Contains(verdict.Mismatches, m => m.Kind == "CHAIN");
    }

    [Fact]
    public async Task Cutting_off_the_end_of_a_chain_is_detected_by_its_head()
    {
        await using var writer = NewWriter();
        await WriteSalesAsync(writer, 4);
        Assert.True((await VerifyAsync()).Clean);

        // The last link and everything it wrote go, and the balances are forged to match: a consistent shorter chain.
        await ExecuteAsync(
            $"""
            DELETE FROM ledger_wallet_sequence WHERE operation_id IN (SELECT operation_id FROM ledger_operations WHERE writer_id = '{writer.WriterId}' AND height = 4);
            DELETE FROM ledger_transactions WHERE writer_id = '{writer.WriterId}' AND height = 4;
            DELETE FROM ledger_operations WHERE writer_id = '{writer.WriterId}' AND height = 4;
            DELETE FROM ledger_chain WHERE writer_id = '{writer.WriterId}' AND height = 4;
            {ForgeBalancesSql}
            """);

        var verdict = await VerifyAsync();
        Assert.False(verdict.Clean);
        Assert.Contains(verdict.Mismatches, m => m.Kind == "CHAIN" && m.Detail.Contains("head", StringComparison.Ordinal) && m.Detail.Contains(writer.WriterId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_a_whole_writers_chain_and_its_rows_is_detected_by_its_head()
    {
        await using var one = NewWriter();
        await using var two = NewWriter();
        await WriteSalesAsync(one, 2);
        await WriteSalesAsync(two, 2);
        Assert.Equal(2, (await VerifyAsync()).Chains);

        var gone = two.WriterId;
        await ExecuteAsync(
            $"""
            DELETE FROM ledger_wallet_sequence WHERE operation_id IN (SELECT operation_id FROM ledger_operations WHERE writer_id = '{gone}');
            DELETE FROM ledger_transactions WHERE writer_id = '{gone}';
            DELETE FROM ledger_operations WHERE writer_id = '{gone}';
            DELETE FROM ledger_chain WHERE writer_id = '{gone}';
            {ForgeBalancesSql}
            """);

        var verdict = await VerifyAsync();
        Assert.False(verdict.Clean);
        Assert.Contains(verdict.Mismatches, m => m.Kind == "CHAIN" && m.Detail.Contains("head", StringComparison.Ordinal) && m.Detail.Contains(gone.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_head_removed_with_its_chain_still_leaves_the_writer_reported()
    {
        await using var one = NewWriter();
        await WriteSalesAsync(one, 2);
        await ExecuteAsync(
            $"""
            DELETE FROM ledger_wallet_sequence;
            DELETE FROM ledger_transactions;
            DELETE FROM ledger_operations;
            DELETE FROM ledger_chain;
            DELETE FROM ledger_writer_heads;
            {ForgeBalancesSql}
            """);

        var verdict = await VerifyAsync();
        Assert.Contains(verdict.Mismatches, m => m.Kind == "CHAIN" && m.Detail.Contains(one.WriterId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_hashed_the_version_1_way_before_the_migration_still_verifies_that_way()
    {
        await using (var writer = NewWriter())
        {
            await WriteSalesAsync(writer, 1);
        }

        // Rehash the only link as a writer did before migration 0007, and mark it version 1, as the migration leaves old links.
        var (writerId, op, kind, key, requestHash) = (Guid.Empty, Guid.Empty, (short)0, "", Array.Empty<byte>());
        var lines = new List<(int Position, Guid Asset, long Amount, Guid From, Guid To)>();
        await using (var cmd = Db.CreateCommand(
            """
            SELECT o.writer_id, o.operation_id, o.kind, o.idempotency_key, o.request_hash, t.position, t.asset_id, t.amount, t.from_wallet, t.to_wallet
            FROM ledger_operations o JOIN ledger_transactions t USING (operation_id) ORDER BY t.position
            """))
        await using (var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                (writerId, op, kind, key, requestHash) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetInt16(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4));
                lines.Add((reader.GetInt32(5), reader.GetGuid(6), reader.GetInt64(7), reader.GetGuid(8), reader.GetGuid(9)));
            }
        }

        using var chain = new LedgerChain(LedgerChain.Genesis, writerId, 1, version: 1);
        chain.AppendLegacyOperation(op, (TransactionKind)kind, key, requestHash);
        foreach (var l in lines)
        {
            chain.AppendLegacyLine(l.Position, l.Asset, l.Amount, l.From, l.To);
        }

        var legacyHash = chain.Finish();
        await LedgerSql.ScalarAsync(Db, "UPDATE ledger_chain SET chain_version = 1, hash = $1 RETURNING 0", legacyHash);
        await LedgerSql.ScalarAsync(Db, "UPDATE ledger_writer_heads SET hash = $1 RETURNING 0", legacyHash);

        var verdict = await VerifyAsync();
        Assert.True(verdict.Clean, string.Join("; ", verdict.Mismatches.Select(m => m.Detail)));

        // What version 1 covered is still checked.
        await ExecuteAsync($"UPDATE ledger_operations SET idempotency_key = 'tampered-key' WHERE operation_id = {FirstOperation}");
        Assert.Contains((await VerifyAsync()).Mismatches, m => m.Kind == "CHAIN");
    }

    private LedgerWriter NewWriter() =>
        new(Db, Options.Create(new LedgerWriterOptions()), NullLogger<LedgerWriter>.Instance);

    /// <summary>Batches of sales that fill every column: venue, card, external amount and means, a result, two lines.</summary>
    private static async Task WriteSalesAsync(LedgerWriter writer, int batches)
    {
        var asset = AssetId.New();
        var mint = WalletId.MintOf(asset);
        for (var i = 0; i < batches; i++)
        {
            var (card, venue) = (WalletId.New(), WalletId.New());
            var entry = new LedgerEntry(Guid.CreateVersion7(), TestNetwork.NewKey(), [9, 8, 7], TransactionKind.Sale,
                [new LedgerLine(asset, 500, mint, card), new LedgerLine(asset, 300, card, venue)],
                [new WalletSequence(card, 1)], [1, 2, 3, (byte)i], new VenueId("venue-a"), new CardUid("0123ABCD"), 250, PaymentMeans.BankCard);
            Assert.Equal(LedgerCommitStatus.Committed, (await writer.SubmitAsync(entry)).Status);
        }
    }

    private Task<LedgerVerification> VerifyAsync() => new LedgerVerifier(Db).VerifyAsync(TestContext.Current.CancellationToken);

    private async Task ExecuteAsync(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

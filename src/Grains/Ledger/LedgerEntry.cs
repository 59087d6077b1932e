using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// One double-entry movement of one asset. A line whose wallet id equals the asset id touches that asset's mint
/// (<see cref="WalletId.MintOf"/>), the only balance allowed below zero.
/// </summary>
public readonly record struct LedgerLine(AssetId Asset, long Amount, WalletId From, WalletId To);

/// <summary>The next sequence number a wallet's owning grain claims for this operation (unique per wallet in the database).</summary>
public readonly record struct WalletSequence(WalletId Wallet, long Seq);

/// <summary>
/// One operation handed to the <see cref="LedgerWriter"/>: its idempotency key and request hash, its lines, the sequence
/// numbers of the grain-owned wallets it debits, and the serialised result to replay for a retried key. <see cref="Till"/>: the sale
/// lines of a till operation, written in the same transaction; such an entry may have no ledger line when it was paid
/// wholly in cash or by bank card (an operation with external means only).
/// </summary>
public sealed record LedgerEntry(
    Guid OperationId,
    IdempotencyKey Key,
    byte[] RequestHash,
    TransactionKind Kind,
    ImmutableArray<LedgerLine> Lines,
    ImmutableArray<WalletSequence> Sequences,
    byte[] Result,
    VenueId? Venue = null,
    CardUid? Card = null,
    long ExternalAmount = 0,
    PaymentMeans ExternalMeans = PaymentMeans.None,
    Till.TillRows? Till = null);

/// <summary>What became of an entry.</summary>
public enum LedgerCommitStatus
{
    /// <summary>Durable in PostgreSQL.</summary>
    Committed,

    /// <summary>The key was already used: <see cref="LedgerCommit.Existing"/> holds the first operation. Nothing was written.</summary>
    Duplicate,

    /// <summary>A claimed sequence number was taken: the grain's view is stale (e.g. a second activation). Nothing was written.</summary>
    SequenceConflict,

    /// <summary>A balance row would have gone below zero: the grain's view is stale. Nothing was written.</summary>
    BalanceRefused,
}

/// <summary>An operation as stored, replayed for a retried idempotency key.</summary>
public sealed record StoredOperation(Guid OperationId, TransactionKind Kind, byte[] RequestHash, byte[] Result);

/// <summary>A (wallet, asset) balance as committed.</summary>
public readonly record struct WalletAssetBalance(WalletId Wallet, AssetId Asset, long Balance);

/// <summary>The answer to <see cref="LedgerWriter.SubmitAsync"/>.</summary>
public sealed record LedgerCommit(LedgerCommitStatus Status, ImmutableArray<WalletAssetBalance> Balances, StoredOperation? Existing = null)
{
    public static readonly LedgerCommit CommittedWithoutBalances = new(LedgerCommitStatus.Committed, []);
}

/// <summary>The ledger could not say whether (or could not) commit: the caller must reload and the client retry with the same key.</summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
    {
    }

    public LedgerUnavailableException(string message) : base(message)
    {
    }

    public LedgerUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>Group-commit settings of the <see cref="LedgerWriter"/>.</summary>
public sealed class LedgerWriterOptions
{
    /// <summary>Most entries committed in one PostgreSQL transaction.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// Longest an idle writer waits for batch-mates once the queue is drained. While a commit is in flight the writer never
    /// waits: the commit itself is the gathering window (entries arriving meanwhile form the next batch). Zero (the default)
    /// writes at once when idle, which measured best for latency; a few milliseconds trade latency for bigger batches.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Smallest batch written while the previous one is still committing (pipelining). A smaller batch waits for that
    /// commit and grows meanwhile instead: at moderate load that halves the batches, and with them the database's fixed
    /// per-batch work (measured in BENCHMARKS.md). 1 always pipelines.
    /// </summary>
    public int PipelineMinBatch { get; set; } = 32;
}

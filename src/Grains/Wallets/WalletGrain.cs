using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// Holds one user or card wallet's balances in memory and is the only path for its debits. Not reentrant: each call runs
/// to its end (commit included) before the next starts, so "check funds, then debit" cannot interleave (docs/architecture.md, money rule 1).
/// Its memory may only be stale on the low side (credits arrive from elsewhere as deltas), so it reloads once before
/// declining. If a second activation exists somewhere, the database refuses the stale one's sequence number: it then
/// unloads and answers UNAVAILABLE (retry with the same key); an overdraft refusal reloads and plans again. What an operation moves is decided by the planners (<see cref="SalePlanner"/>,
/// <see cref="CounterPlanner"/>, <see cref="AdminPlanner"/>); this shell gathers their facts and commits their plans.
/// </summary>
public sealed partial class WalletGrain(
    LedgerWriter writer,
    WalletStore store,
    ICardLinks cards,
    VenueProfileCache venues,
    CashierRightsCache cashiers,
    Serializer serializer,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain
{
    private const int MaxAttempts = 4;

    private WalletId _id;
    private WalletKind? _kind;
    private Dictionary<AssetId, long> _balances = [];
    private long _seq;
    private bool _loadedByActivation;

    private WalletView View => new(_id, _balances);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = new WalletId(this.GetPrimaryKey());
        await ReloadAsync(null, cancellationToken);
        _loadedByActivation = true;
    }

    public async Task<WalletDetails> GetDetailsAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default)
    {
        // A read right after activation uses what activation just loaded; any later read reloads (credits may have arrived).
        if (!_loadedByActivation)
        {
            await ReloadAsync(null, cancellationToken);
        }

        _loadedByActivation = false;
        var kind = _kind ?? throw new DomainException(ErrorCodes.NotFound, "No such wallet.");
        var balances = _balances.Where(b => b.Value != 0);
        if (seenBy is { } venue)
        {
            var profile = await venues.GetAsync(venue, cancellationToken);
            balances = balances.Where(b => profile.FindAccepted(b.Key) is not null);
        }

        return new WalletDetails(_id, kind, [.. balances.OrderBy(b => b.Key.Value).Select(b => new AssetBalance(b.Key, b.Value))]);
    }

    // ---------------------------------------------------------------- the one way money moves

    /// <summary>
    /// Replays a known key, else plans, submits, and applies the commit. A decline reloads once (funds may have arrived,
    /// or the key may have been used by an earlier activation) before it is answered. A stale sequence number unloads this
    /// activation (another one is writing); an overdraft refusal reloads and plans again.
    /// </summary>
    private async Task<T> RunAsync<T>(IdempotencyKey key, byte[] hash, Func<Task<WalletPlan<T>>> planner, CancellationToken cancellationToken)
        where T : class
    {
        IdempotencyKey.Parse(key.Value);
        RequireOwnWallet();
        _loadedByActivation = false;
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            WalletPlan<T> plan;
            try
            {
                plan = await planner();
            }
            catch (DomainException) when (!reloaded)
            {
                // A rule that fails now (asset archived, rights revoked since) must not hide the first result of a retried key.
                if (await store.FindOperationAsync(key, cancellationToken) is { } earlier)
                {
                    return Replay<T>(hash, earlier);
                }

                throw;
            }

            if (plan.Operation is not { } operation)
            {
                if (plan.Declined && !reloaded)
                {
                    reloaded = true;
                    if (await ReloadAsync(key, cancellationToken) is { } stored)
                    {
                        return Replay<T>(hash, stored);
                    }

                    continue;
                }

                return plan.Result;
            }

            var entry = ToEntry(key, hash, operation, plan.Result, [new WalletSequence(_id, _seq + 1)]);
            var commit = await SubmitAsync(entry);
            switch (commit.Status)
            {
                case LedgerCommitStatus.Committed:
                    Apply(entry, commit);
                    LogCommitted(logger, _id.Value, entry.Kind, entry.OperationId);
                    return plan.Result;
                case LedgerCommitStatus.Duplicate:
                    // Our memory may predate that first operation (another activation ran it): reload before answering.
                    await ReloadAsync(null, cancellationToken);
                    return Replay<T>(hash, commit.Existing!);
                case LedgerCommitStatus.SequenceConflict:
                    // Only wallet activations claim sequence numbers, so another activation of this wallet committed since this
                    // one loaded: two exist (a silo frozen, declared dead and resumed). Nothing was written. This one steps
                    // aside instead of competing; the client's retry with the same key reaches the activation the cluster
                    // agrees on, which starts from the database and runs the operation once.
                    StepAside();
                    throw new DomainException(ErrorCodes.Unavailable, "This wallet is served elsewhere now; nothing was written. Retry with the same key.");
                default:
                    LogStale(logger, _id.Value, commit.Status.ToString());
                    await ReloadAsync(null, cancellationToken);
                    reloaded = true;
                    continue;
            }
        }

        throw new DomainException(ErrorCodes.Unavailable, "The operation could not be settled; retry with the same key.");
    }

    private LedgerEntry ToEntry<T>(IdempotencyKey key, byte[] hash, PlannedOperation operation, T result, ImmutableArray<WalletSequence> sequences) =>
        new(operation.OperationId, key, hash, operation.Kind, operation.Lines, sequences, serializer.SerializeToArray(result),
            operation.Venue, operation.Card, operation.External, operation.Means, operation.Till);

    private async Task<LedgerCommit> SubmitAsync(LedgerEntry entry)
    {
        // From hand-over to the writer until its COMMIT is acknowledged: the sale's trace reaches the database's answer.
        using var activity = TiBilletTelemetry.ActivitySource.StartActivity("tibillet.ledger.commit");
        activity?.SetTag("tibillet.wallet", _id.Value);
        try
        {
            var commit = await writer.SubmitAsync(entry);
            activity?.SetTag("tibillet.ledger.status", commit.Status.ToString());
            return commit;
        }
        catch (LedgerUnavailableException)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "ledger unavailable");
            // The outcome may be unknown: forget this memory so the next call starts from the database.
            DeactivateOnIdle();
            throw new DomainException(ErrorCodes.Unavailable, "The ledger is unavailable; retry with the same key.");
        }
    }

    private void Apply(LedgerEntry entry, LedgerCommit commit)
    {
        foreach (var s in entry.Sequences)
        {
            if (s.Wallet == _id)
            {
                _seq = s.Seq;
            }
        }

        foreach (var line in entry.Lines)
        {
            if (line.From == _id)
            {
                _balances[line.Asset] = _balances.GetValueOrDefault(line.Asset) - line.Amount;
            }

            if (line.To == _id)
            {
                _balances[line.Asset] = _balances.GetValueOrDefault(line.Asset) + line.Amount;
            }
        }

        // The committed rows are the truth for every asset the batch touched (including credits that arrived elsewhere).
        foreach (var b in commit.Balances)
        {
            if (b.Wallet == _id)
            {
                _balances[b.Asset] = b.Balance;
            }
        }
    }

    private void StepAside()
    {
        LogSteppedAside(logger, _id.Value);
        WalletMetrics.StaleActivation();
        DeactivateOnIdle();
    }

    private async Task<StoredOperation?> ReloadAsync(IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(_id, key, cancellationToken);
        _kind = snapshot.Kind;
        _balances = snapshot.Balances;
        _seq = snapshot.Sequence;
        return snapshot.Operation;
    }

    private T Replay<T>(byte[] hash, StoredOperation stored)
        where T : class
    {
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
        }

        return serializer.Deserialize<T>(stored.Result) ?? throw new InvalidOperationException("A stored result could not be read.");
    }

    private void RequireOwnWallet()
    {
        switch (_kind)
        {
            case null:
                throw new DomainException(ErrorCodes.NotFound, "No such wallet.");
            case WalletKind.Venue or WalletKind.Mint:
                throw new DomainException(ErrorCodes.BadUserInput, "Venue and mint wallets move money only through ledger operations of other wallets.");
        }
    }

    private async Task RequireCashierAsync(CardUid cashier, VenueId venue, CancellationToken cancellationToken)
    {
        if (!await cashiers.IsCashierAtAsync(cashier, venue, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, "A cashier card of this venue is required.");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wallet {WalletId} committed {Kind} operation {OperationId}")]
    private static partial void LogCommitted(ILogger logger, Guid walletId, TransactionKind kind, Guid operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId} activation was stale: the database refused its sequence number; it unloads and the client retries")]
    private static partial void LogSteppedAside(ILogger logger, Guid walletId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId} was stale ({Cause}); reloaded from the ledger")]
    private static partial void LogStale(ILogger logger, Guid walletId, string cause);
}

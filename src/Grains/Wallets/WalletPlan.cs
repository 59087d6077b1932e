using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// A wallet as a planner sees it: its id and its balances in memory. Planners only read it; the grain applies what
/// was committed.
/// </summary>
public readonly record struct WalletView(WalletId Id, IReadOnlyDictionary<AssetId, long> Balances)
{
    public long BalanceOf(AssetId asset) => Balances.GetValueOrDefault(asset);
}

/// <summary>
/// The rows an approved plan hands to the ledger, before the wallet grain adds the key, the request hash, the sequence
/// numbers it claims and the stored result.
/// </summary>
public sealed record PlannedOperation(
    Guid OperationId,
    TransactionKind Kind,
    ImmutableArray<LedgerLine> Lines,
    VenueId? Venue,
    CardUid? Card,
    long External = 0,
    PaymentMeans Means = PaymentMeans.None);

/// <summary>
/// What a planner decided: submit <see cref="Operation"/> and answer <see cref="Result"/> once committed; decline (the
/// grain reloads once before answering, funds may have arrived); or answer with nothing to write.
/// </summary>
public sealed record WalletPlan<T>(PlannedOperation? Operation, T Result, bool Declined)
{
    public static WalletPlan<T> Submit(PlannedOperation operation, T result) => new(operation, result, false);

    public static WalletPlan<T> Decline(T result) => new(null, result, true);

    public static WalletPlan<T> Nothing(T result) => new(null, result, false);
}

/// <summary>The arithmetic every planner shares: movements and balances as a result shows them.</summary>
public static class WalletPlans
{
    /// <summary>An approved movement of <paramref name="lines"/>, answered with this wallet's balances after it.</summary>
    public static WalletPlan<MovementResult> Movement(WalletView wallet, TransactionKind kind, ImmutableArray<LedgerLine> lines, VenueId? venue, CardUid? card,
        DateTimeOffset at, long external = 0, PaymentMeans means = PaymentMeans.None)
    {
        var opId = Guid.CreateVersion7();
        var result = new MovementResult(true, DeclineReason.None, kind, Movements(lines), BalancesAfter(wallet.Balances, wallet.Id, lines), opId, at);
        return WalletPlan<MovementResult>.Submit(new PlannedOperation(opId, kind, lines, venue, card, external, means), result);
    }

    /// <summary>A credit from the asset's mint into this wallet (BAD_USER_INPUT if the balance would overflow).</summary>
    public static WalletPlan<MovementResult> Credit(WalletView wallet, TransactionKind kind, Assets.AssetDetails asset, long amount, VenueId? venue, CardUid? card,
        DateTimeOffset at, long external = 0, PaymentMeans means = PaymentMeans.None)
    {
        Cents.Add(wallet.BalanceOf(asset.Id), amount);
        return Movement(wallet, kind, [new LedgerLine(asset.Id, amount, asset.MintWallet, wallet.Id)], venue, card, at, external, means);
    }

    /// <summary>A movement declined for lack of funds: nothing written, the balances as they are.</summary>
    public static WalletPlan<MovementResult> DeclineMovement(WalletView wallet, TransactionKind kind, DateTimeOffset at) =>
        WalletPlan<MovementResult>.Decline(new MovementResult(false, DeclineReason.InsufficientFunds, kind, [], Snapshot(wallet.Balances), null, at));

    public static ImmutableArray<AssetMovement> Movements(ImmutableArray<LedgerLine> lines) =>
        [.. lines.Select(l => new AssetMovement(l.Asset, l.Amount, l.From, l.To))];

    /// <summary>The non-zero balances, ordered by asset: how results show a wallet.</summary>
    public static ImmutableArray<AssetBalance> Snapshot(IReadOnlyDictionary<AssetId, long> balances) =>
        [.. balances.Where(b => b.Value != 0).OrderBy(b => b.Key.Value).Select(b => new AssetBalance(b.Key, b.Value))];

    /// <summary><paramref name="wallet"/>'s balances once <paramref name="lines"/> are applied.</summary>
    public static ImmutableArray<AssetBalance> BalancesAfter(IReadOnlyDictionary<AssetId, long> balances, WalletId wallet, ImmutableArray<LedgerLine> lines)
    {
        var after = new Dictionary<AssetId, long>(balances);
        foreach (var l in lines)
        {
            if (l.From == wallet)
            {
                after[l.Asset] = after.GetValueOrDefault(l.Asset) - l.Amount;
            }

            if (l.To == wallet)
            {
                after[l.Asset] = after.GetValueOrDefault(l.Asset) + l.Amount;
            }
        }

        return Snapshot(after);
    }
}

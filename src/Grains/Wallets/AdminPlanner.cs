using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// What the operations outside a counter move: a transfer, a fusion into a user wallet, a time grant, an issue, a
/// correction. Pure: the wallet grain looks up the asset and the target, then commits what this decides.
/// </summary>
public static class AdminPlanner
{
    public const int MaxReasonLength = 500;

    /// <summary>The transfer's hash. BAD_USER_INPUT for a non-positive amount or a transfer to itself.</summary>
    public static byte[] CheckTransfer(WalletId wallet, TransferRequest request)
    {
        Cents.RequirePositive(request.Amount);
        if (request.To == wallet)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A wallet cannot transfer to itself.");
        }

        return new RequestHasher("transfer").Add(wallet).Add(request.To).Add(request.Asset).Add(request.Amount).Finish();
    }

    /// <summary>
    /// A transfer to a wallet of kind <paramref name="target"/> (null: unknown) of an existing asset
    /// (<paramref name="assetExists"/>). Declined when the balance is short.
    /// </summary>
    public static WalletPlan<MovementResult> PlanTransfer(WalletView wallet, TransferRequest request, WalletKind? target, bool assetExists, DateTimeOffset at)
    {
        switch (target)
        {
            case null:
                throw new DomainException(ErrorCodes.NotFound, "No such target wallet.");
            case WalletKind.Mint:
                throw new DomainException(ErrorCodes.BadUserInput, "Money is not transferred to a mint.");
        }

        if (!assetExists)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such asset.");
        }

        return wallet.BalanceOf(request.Asset) < request.Amount
            ? WalletPlans.DeclineMovement(wallet, TransactionKind.Transfer, at)
            : WalletPlans.Movement(wallet, TransactionKind.Transfer, [new LedgerLine(request.Asset, request.Amount, wallet.Id, request.To)], null, null, at);
    }

    /// <summary>The fusion's hash. BAD_USER_INPUT for a fusion into itself.</summary>
    public static byte[] CheckFusion(WalletId wallet, FusionRequest request)
    {
        if (request.Target == wallet)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A wallet cannot fuse into itself.");
        }

        return new RequestHasher("fusion").Add(wallet).Add(request.Target).Add(request.Card).Finish();
    }

    /// <summary>Every positive balance moves to the target; an empty wallet is approved with nothing to write.</summary>
    public static WalletPlan<MovementResult> PlanFusion(WalletView wallet, FusionRequest request, DateTimeOffset at)
    {
        var lines = wallet.Balances.Where(b => b.Value > 0).OrderBy(b => b.Key.Value)
            .Select(b => new LedgerLine(b.Key, b.Value, wallet.Id, request.Target)).ToImmutableArray();
        return lines.IsEmpty
            ? WalletPlan<MovementResult>.Nothing(new MovementResult(true, DeclineReason.None, TransactionKind.Fusion, [], [], null, at))
            : WalletPlans.Movement(wallet, TransactionKind.Fusion, lines, null, request.Card, at);
    }

    public static byte[] CheckTimeGrant(WalletId wallet, TimeGrantRequest request)
    {
        Cents.RequirePositive(request.Amount);
        return new RequestHasher("time-grant").Add(wallet).Add(request.Venue).Add(request.Asset).Add(request.Amount).Finish();
    }

    /// <summary>Time currency from its mint. FORBIDDEN unless the venue issues it; BAD_USER_INPUT unless it is TIM; CONFLICT when archived.</summary>
    public static WalletPlan<MovementResult> PlanTimeGrant(WalletView wallet, TimeGrantRequest request, AssetDetails? asset, DateTimeOffset at)
    {
        var found = Require(asset);
        if (found.Kind != AssetKind.TIM)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Only time currency (TIM) is granted.");
        }

        if (found.IssuingVenue != request.Venue)
        {
            throw new DomainException(ErrorCodes.Forbidden, "Only the issuing venue grants its time currency.");
        }

        RequireActive(found);
        return WalletPlans.Credit(wallet, TransactionKind.TimeGrant, found, request.Amount, request.Venue, null, at);
    }

    public static byte[] CheckIssue(WalletId wallet, IssueRequest request)
    {
        Cents.RequirePositive(request.Amount);
        return new RequestHasher("issue").Add(wallet).Add(request.Asset).Add(request.Amount).Add(request.Means).Finish();
    }

    /// <summary>Money created from the asset's mint. NOT_FOUND for an unknown asset; CONFLICT for an archived one.</summary>
    public static WalletPlan<MovementResult> PlanIssue(WalletView wallet, IssueRequest request, AssetDetails? asset, DateTimeOffset at)
    {
        var found = RequireActive(Require(asset));
        var external = request.Means == PaymentMeans.None ? 0 : request.Amount;
        return WalletPlans.Credit(wallet, TransactionKind.Creation, found, request.Amount, null, null, at, external, request.Means);
    }

    /// <summary>The correction's hash. BAD_USER_INPUT for a non-positive amount or a reason that is not 1 to 500 characters.</summary>
    public static byte[] CheckCorrection(WalletId wallet, CorrectionRequest request)
    {
        Cents.RequirePositive(request.Amount);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReasonLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A correction needs a reason of 1 to {MaxReasonLength} characters.");
        }

        if (request.Kind is not (TransactionKind.Correction or TransactionKind.OnlineRefund) || (request.Kind == TransactionKind.OnlineRefund && request.Credit))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A movement with the mint is a correction, or an online refund debit.");
        }

        // The kind joins the hash only when it is not the plain correction, so earlier corrections keep their hashes.
        using var hasher = new RequestHasher("correction").Add(wallet).Add(request.Asset).Add(request.Amount).Add(request.Credit.ToString()).Add(reason);
        return (request.Kind == TransactionKind.Correction ? hasher : hasher.Add(request.Kind.ToString())).Finish();
    }

    /// <summary>A credit from, or a debit to, the asset's mint. A debit declines rather than making the wallet negative.</summary>
    public static WalletPlan<MovementResult> PlanCorrection(WalletView wallet, CorrectionRequest request, AssetDetails? asset, DateTimeOffset at)
    {
        var found = Require(asset);
        if (request.Credit)
        {
            return WalletPlans.Credit(wallet, request.Kind, found, request.Amount, null, null, at);
        }

        return wallet.BalanceOf(found.Id) < request.Amount
            ? WalletPlans.DeclineMovement(wallet, request.Kind, at)
            : WalletPlans.Movement(wallet, request.Kind, [new LedgerLine(found.Id, request.Amount, wallet.Id, found.MintWallet)], null, null, at);
    }

    private static AssetDetails Require(AssetDetails? asset) => asset ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");

    private static AssetDetails RequireActive(AssetDetails asset) =>
        asset.Archived ? throw new DomainException(ErrorCodes.Conflict, "This asset is archived.") : asset;
}

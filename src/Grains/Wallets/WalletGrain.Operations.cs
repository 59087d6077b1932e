using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>Counter operations (<see cref="CounterPlanner"/>) and the others (<see cref="AdminPlanner"/>): gather the facts, run the plan.</summary>
public sealed partial class WalletGrain
{
    public Task<MovementResult> RefillAsync(RefillRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        var hash = CounterPlanner.CheckRefill(_id, request, card);
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            await RequireCashierAsync(request.Cashier, request.Venue, cancellationToken);
            var foreign = CounterPlanner.ForeignAsset(profile, request) is { } id ? await FindAssetAsync(id, cancellationToken) : null;
            return CounterPlanner.PlanRefill(View, profile, request, foreign, card, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    public Task<RefundResult> RefundAsync(RefundRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        var (_, hash) = CounterPlanner.CheckRefund(_id, request, card);
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            await RequireCashierAsync(request.Cashier, request.Venue, cancellationToken);
            return CounterPlanner.PlanRefund(View, profile, request, card, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    public Task<MovementResult> BadgeAsync(BadgeRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        var hash = CounterPlanner.BadgeHash(_id, request, card);
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            return CounterPlanner.PlanBadge(View, profile, request, card, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    public Task<MovementResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken = default)
    {
        var hash = AdminPlanner.CheckTransfer(_id, request);
        return RunAsync(request.Key, hash, async () =>
        {
            var target = await store.FindKindAsync(request.To, cancellationToken);
            var asset = target is null or WalletKind.Mint ? null : await FindAssetAsync(request.Asset, cancellationToken);
            return AdminPlanner.PlanTransfer(View, request, target, asset is not null, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    public async Task<MovementResult> FuseIntoAsync(FusionRequest request, CancellationToken cancellationToken = default)
    {
        var hash = AdminPlanner.CheckFusion(_id, request);
        if (await store.FindKindAsync(request.Target, cancellationToken) != WalletKind.User)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A card's wallet fuses into a user wallet.");
        }

        // Everything must move, including credits that reached this wallet from elsewhere: start from the committed truth.
        // A key already used replays its first result (after the first fusion there is nothing left to move).
        if (await ReloadAsync(request.Key, cancellationToken) is { } earlier)
        {
            return Replay<MovementResult>(hash, earlier);
        }

        return await RunAsync(request.Key, hash, () => Task.FromResult(AdminPlanner.PlanFusion(View, request, DateTimeOffset.UtcNow)), cancellationToken);
    }

    public Task<MovementResult> GrantTimeAsync(TimeGrantRequest request, CancellationToken cancellationToken = default)
    {
        var hash = AdminPlanner.CheckTimeGrant(_id, request);
        return RunAsync(request.Key, hash, async () =>
            AdminPlanner.PlanTimeGrant(View, request, await FindAssetAsync(request.Asset, cancellationToken), DateTimeOffset.UtcNow), cancellationToken);
    }

    public Task<MovementResult> IssueAsync(IssueRequest request, CancellationToken cancellationToken = default)
    {
        var hash = AdminPlanner.CheckIssue(_id, request);
        return RunAsync(request.Key, hash, async () =>
            AdminPlanner.PlanIssue(View, request, await FindAssetAsync(request.Asset, cancellationToken), DateTimeOffset.UtcNow), cancellationToken);
    }

    public Task<MovementResult> CorrectAsync(CorrectionRequest request, CancellationToken cancellationToken = default)
    {
        var hash = AdminPlanner.CheckCorrection(_id, request);
        return RunAsync(request.Key, hash, async () =>
            AdminPlanner.PlanCorrection(View, request, await FindAssetAsync(request.Asset, cancellationToken), DateTimeOffset.UtcNow), cancellationToken);
    }

    private Task<AssetDetails?> FindAssetAsync(AssetId asset, CancellationToken cancellationToken) =>
        GrainFactory.GetAsset(asset).FindAsync(cancellationToken);
}

using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Till;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// What a counter operation (top-up, refund or void, badge) moves. Pure: the wallet grain checks the cashier right and
/// looks up the venue and assets, then commits what this decides.
/// </summary>
public static class CounterPlanner
{
    /// <summary>The request's shape and hash. BAD_USER_INPUT for a non-positive amount or a means other than cash or bank card.</summary>
    public static byte[] CheckRefill(WalletId wallet, RefillRequest request, CardUid? card)
    {
        Cents.RequirePositive(request.Amount);
        var depositBack = request.Till is { } till && till.Lines.All(l => l.Kind == Till.SaleLineKind.DepositReturn) && request.Means == PaymentMeans.None;
        if (request.Means is not (PaymentMeans.Cash or PaymentMeans.BankCard) && !depositBack)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A counter top-up is paid in cash or by bank card.");
        }

        if (request.Till is not null && card is null)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A till top-up names its card.");
        }

        using var hasher = new RequestHasher("refill").Add(wallet).Add(request.Venue).Add(request.Cashier).Add(request.Amount).Add(request.Means).Add(request.Asset).Add(card);
        return hasher.AddTill(request.Till).Finish();
    }

    /// <summary>Whether the refill names an asset the venue does not own, which the grain must then look up.</summary>
    public static AssetId? ForeignAsset(VenuePaymentProfile profile, RefillRequest request) =>
        request.Asset is { } id && profile.FindOwn(id) is null ? id : null;

    /// <summary>
    /// A top-up from the mint of the venue's own TLF or TNF (its active TLF when none is named). <paramref name="foreign"/>
    /// is the named asset when the venue does not own it (null if unknown). FORBIDDEN for FED or another venue's asset.
    /// </summary>
    public static WalletPlan<MovementResult> PlanRefill(WalletView wallet, VenuePaymentProfile profile, RefillRequest request, AssetDetails? foreign, CardUid? card,
        DateTimeOffset at)
    {
        var asset = request.Asset is { } id
            ? profile.FindOwn(id) ?? foreign switch
            {
                null => throw new DomainException(ErrorCodes.NotFound, "No such asset."),
                { Kind: AssetKind.FED } => throw new DomainException(ErrorCodes.Forbidden, "FED is bought online, never refilled at a counter."),
                _ => throw new DomainException(ErrorCodes.Forbidden, "Only the issuing venue refills its local assets."),
            }
            : profile.FindOwnActive(AssetKind.TLF) ?? throw new DomainException(ErrorCodes.NotFound, "The venue has no active TLF to refill.");
        // A till's top-up product may sell the venue's time currency too; the counter's own top-up stays with TLF and TNF.
        if (asset.Kind is not (AssetKind.TLF or AssetKind.TNF) && !(asset.Kind == AssetKind.TIM && request.Till is not null))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Only TLF and TNF are refilled at a counter.");
        }

        if (asset.Archived)
        {
            throw new DomainException(ErrorCodes.Conflict, "This asset is archived.");
        }

        var external = request.Means == PaymentMeans.None ? 0 : request.Amount;
        var plan = WalletPlans.Credit(wallet, TransactionKind.Refill, asset, request.Amount, request.Venue, card, at, external, request.Means);
        return request.Till is { } till
            ? plan with { Operation = plan.Operation! with { Till = Till.TillCounterRows.Credit(till, asset.Id, card!.Value, request.Amount, request.Means) } }
            : plan;
    }

    /// <summary>The request's kind (refund with an amount, void without) and hash. BAD_USER_INPUT for a non-positive amount.</summary>
    public static (TransactionKind Kind, byte[] Hash) CheckRefund(WalletId wallet, RefundRequest request, CardUid? card)
    {
        if (request.Amount is { } requested)
        {
            Cents.RequirePositive(requested);
        }

        var kind = request.Amount is null ? TransactionKind.Void : TransactionKind.Refund;
        if (request.Till is not null && (card is null || request.Amount is not null))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A till empties a card it names, of everything refundable.");
        }

        using var hasher = new RequestHasher(kind == TransactionKind.Void ? "void" : "refund").Add(wallet).Add(request.Venue).Add(request.Cashier).Add(request.Amount).Add(card);
        return (kind, hasher.AddTill(request.Till).Finish());
    }

    /// <summary>
    /// A refund takes the cash-refundable money (the venue's own TLF, then FED); a void empties the venue's own TLF and
    /// TNF and FED. Local assets are burned to their mint; FED goes to the venue, which the network then owes.
    /// </summary>
    public static WalletPlan<RefundResult> PlanRefund(WalletView wallet, VenuePaymentProfile profile, RefundRequest request, CardUid? card, DateTimeOffset at)
    {
        var lines = ImmutableArray.CreateBuilder<LedgerLine>();
        var parts = new List<(AssetId, long, bool)>();
        long cash = 0, burned = 0, owed = 0;
        if (request.Amount is { } amount)
        {
            // Cash-refundable money only: the venue's euro first, then FED. Gift money is never paid out.
            var ownEuro = profile.Own.Where(a => a.Kind == AssetKind.TLF).Select(a => a.Id);
            var allocation = SpendingCascade.Allocate([.. ownEuro, AssetId.Federated], wallet.Balances, amount);
            if (allocation.Remainder > 0)
            {
                return Declined(DeclineReason.InsufficientFunds);
            }

            foreach (var part in allocation.Parts)
            {
                Add(part.Asset, part.Amount, cashRefund: true);
            }
        }
        else
        {
            foreach (var asset in profile.Own.Where(a => a.Kind is AssetKind.TLF or AssetKind.TNF))
            {
                Add(asset.Id, wallet.BalanceOf(asset.Id), cashRefund: asset.Kind == AssetKind.TLF);
            }

            Add(AssetId.Federated, wallet.BalanceOf(AssetId.Federated), cashRefund: true);
        }

        if (lines.Count == 0)
        {
            return Declined(DeclineReason.NothingToRefund);
        }

        var built = lines.ToImmutable();
        var opId = Guid.CreateVersion7();
        var kind = request.Amount is null ? TransactionKind.Void : TransactionKind.Refund;
        var result = new RefundResult(true, DeclineReason.None, cash, burned, owed, WalletPlans.Movements(built), WalletPlans.BalancesAfter(wallet.Balances, wallet.Id, built), opId, at);
        var rows = request.Till is { } till ? Till.TillCounterRows.Emptied(till, parts, card!.Value) : null;
        return WalletPlan<RefundResult>.Submit(new PlannedOperation(opId, kind, built, request.Venue, card, cash, cash > 0 ? PaymentMeans.Cash : PaymentMeans.None, rows), result);

        WalletPlan<RefundResult> Declined(DeclineReason reason) =>
            WalletPlan<RefundResult>.Decline(new RefundResult(false, reason, 0, 0, 0, [], WalletPlans.Snapshot(wallet.Balances), null, at));

        void Add(AssetId asset, long value, bool cashRefund)
        {
            if (value <= 0)
            {
                return;
            }

            if (asset == AssetId.Federated)
            {
                // FED stays money: the venue pays it out in cash, and the network owes the venue as much.
                lines.Add(new LedgerLine(asset, value, wallet.Id, profile.Wallet));
                owed += value;
            }
            else
            {
                lines.Add(new LedgerLine(asset, value, wallet.Id, WalletId.MintOf(asset)));
                burned += value;
            }

            if (cashRefund)
            {
                cash += value;
            }

            parts.Add((asset, value, cashRefund));
        }
    }

    public static byte[] BadgeHash(WalletId wallet, BadgeRequest request, CardUid? card)
    {
        if (request.Till is not null && card is null)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A till badge names its card.");
        }

        using var hasher = new RequestHasher("badge").Add(wallet).Add(request.Venue).Add(request.Badge).Add(card);
        return hasher.AddTill(request.Till).Finish();
    }

    /// <summary>A movement of 0 of the venue's badge asset to the venue. BAD_USER_INPUT unless it is an active BDG of the venue.</summary>
    public static WalletPlan<MovementResult> PlanBadge(WalletView wallet, VenuePaymentProfile profile, BadgeRequest request, CardUid? card, DateTimeOffset at)
    {
        if (profile.FindOwn(request.Badge) is not { Kind: AssetKind.BDG, Archived: false })
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Not an active badge asset of this venue.");
        }

        var plan = WalletPlans.Movement(wallet, TransactionKind.Badge, [new LedgerLine(request.Badge, 0, wallet.Id, profile.Wallet)], request.Venue, card, at);
        return request.Till is { } till
            ? plan with { Operation = plan.Operation! with { Till = Till.TillCounterRows.Badged(till, request.Badge, card!.Value) } }
            : plan;
    }
}

using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// A card. Its state is its row in <c>cards</c> (written only here, guarded by a version number against a stale
/// activation), so lookups by number or QR id are plain SQL. Money goes to the wallet grain; the card decides which wallet.
/// </summary>
public sealed partial class CardGrain(
    CardStore store,
    CardLinkStore links,
    IUsedKeys usedKeys,
    CashierRightsCache cashiers,
    IMailSender mail,
    TimeProvider clock,
    ILogger<CardGrain> logger) : Grain, ICardGrain
{
    private CardRow? _row;

    private CardUid Uid => new(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CardUid.TryParse(this.GetPrimaryKeyString(), out var uid) || uid.Value != this.GetPrimaryKeyString())
        {
            // Reached with a raw, non-normalised key: stay empty, every call answers UNKNOWN_CARD.
            return;
        }

        _row = await store.FindByUidAsync(uid, cancellationToken);
        if (_row is { FusionPending: true, UserWallet: { } userWallet, State: CardState.Identified or CardState.Lost } row)
        {
            // A link interrupted by a crash between its write and its fusion: finish it now, once. The card's wallet does
            // the same before a sale; both use the same key, so whichever comes second replays and moves nothing.
            await GrainFactory.GetWallet(row.CardWallet).FuseIntoAsync(new FusionRequest(CardRow.PendingFusionKey(row.Uid, userWallet), userWallet, row.Uid), cancellationToken);
            await SetStateAsync(row, row.State, fusionPending: false, cancellationToken);
        }
    }

    public async Task<CardDetails> GetDetailsAsync(CancellationToken cancellationToken = default) => (await RequireRowAsync(cancellationToken)).ToDetails();

    public async Task<PaymentResult> PayWithSecondCardAsync(SaleRequest request, CancellationToken cancellationToken = default)
    {
        _ = await RequireRowAsync(cancellationToken);
        if (request.Complement != PaymentMeans.SecondCard)
        {
            throw new DomainException(ErrorCodes.BadUserInput, request.ComplementCard is null
                ? "A one-card sale is paid at the card's own wallet."
                : "A second card is named only for a second-card complement.");
        }

        // Both cards as the cards table holds them now, not as this activation remembers them: a loss or a block written by
        // another activation (or whose notice failed) stops the card here too.
        var row = await FreshRowAsync(cancellationToken);
        if (row.ActiveWallet is not { } wallet)
        {
            return PaymentResult.Declined(Unusable(row));
        }

        if (request.ComplementCard is not { } otherUid)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Name the second card.");
        }

        if (otherUid == Uid)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The second card must be another card.");
        }

        var other = await store.FindByUidAsync(otherUid, cancellationToken)
            ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
        if (other.ActiveWallet is not { } otherWallet)
        {
            return PaymentResult.Declined(DeclineReason.ComplementCardLost);
        }

        if (otherWallet == wallet)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The second card pays from the same wallet.");
        }

        // Two wallets: always enter through the lower id, so two opposite two-card payments cannot wait on each other.
        var coordinator = wallet.CompareTo(otherWallet) < 0 ? wallet : otherWallet;
        var payment = new WalletPayment(request, Uid, wallet, otherWallet, otherUid);
        return (await GrainFactory.GetWallet(coordinator).SettleJointPaymentAsync(payment, null, cancellationToken)).Result!;
    }

    public async Task<MovementResult> RefillAsync(RefillRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.ActiveWallet is not { } wallet)
        {
            return new MovementResult(false, Unusable(row), TransactionKind.Refill, [], [], null, DateTimeOffset.UtcNow);
        }

        var result = await GrainFactory.GetWallet(wallet).RefillAsync(request, Uid, cancellationToken);
        if (result.Approved && row.State == CardState.Blank)
        {
            await SetStateAsync(row, CardState.Anonymous, fusionPending: false, cancellationToken);
        }

        return result;
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        // Money leaves the network here: as the cards table holds the card now, and only with the card at the counter.
        var row = await FreshRowAsync(cancellationToken);
        RequirePresent(row, request.Presence);
        return row.ActiveWallet is { } wallet
            ? await GrainFactory.GetWallet(wallet).RefundAsync(request, Uid, cancellationToken)
            : new RefundResult(false, Unusable(row), 0, 0, 0, [], [], null, DateTimeOffset.UtcNow);
    }

    public async Task<MovementResult> BadgeAsync(BadgeRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        return row.ActiveWallet is { } wallet
            ? await GrainFactory.GetWallet(wallet).BadgeAsync(request, Uid, cancellationToken)
            : new MovementResult(false, Unusable(row), TransactionKind.Badge, [], [], null, DateTimeOffset.UtcNow);
    }

    public async Task<WalletDetails> GetBalancesAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        // A blocked card's balances stay readable: the block stops payments, not the owner's view of their money.
        var wallet = row.PayingWallet ?? throw new DomainException(ErrorCodes.Conflict, "This card was declared lost.");
        return await GrainFactory.GetWallet(wallet).GetDetailsAsync(seenBy, cancellationToken);
    }

    public async Task<CardDetails> GrantCashierAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.State == CardState.Lost)
        {
            throw new DomainException(ErrorCodes.Conflict, "This card was declared lost.");
        }

        _ = await GrainFactory.GetVenue(venue).GetDetailsAsync(cancellationToken);
        if (!row.CashierAt.Contains(venue))
        {
            await store.GrantCashierAsync(row.Uid, venue, cancellationToken);
            cashiers.Invalidate(row.Uid);
            _row = row with { CashierAt = [.. row.CashierAt.Add(venue).OrderBy(v => v.Value, StringComparer.Ordinal)] };
            LogCashier(logger, row.Uid.Value, venue.Value, true);
        }

        return _row!.ToDetails();
    }

    public async Task<CardDetails> RevokeCashierAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.CashierAt.Contains(venue))
        {
            await store.RevokeCashierAsync(row.Uid, venue, cancellationToken);
            cashiers.Invalidate(row.Uid);
            _row = row with { CashierAt = row.CashierAt.Remove(venue) };
            LogCashier(logger, row.Uid.Value, venue.Value, false);
        }

        return _row!.ToDetails();
    }

    public Task<bool> IsCashierAtAsync(VenueId venue, CancellationToken cancellationToken = default) =>
        Task.FromResult(_row is { State: not CardState.Lost, BlockedBy: null } row && row.CashierAt.Contains(venue));

    private async Task<CardRow> RequireRowAsync(CancellationToken cancellationToken)
    {
        // Not cached while missing: the card may be registered after this activation first looked.
        if (_row is null && CardUid.TryParse(this.GetPrimaryKeyString(), out var uid) && uid.Value == this.GetPrimaryKeyString())
        {
            _row = await store.FindByUidAsync(uid, cancellationToken);
        }

        return _row ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
    }

    /// <summary>The card's row read again from the cards table (its one owner), for the steps that move money out.</summary>
    private async Task<CardRow> FreshRowAsync(CancellationToken cancellationToken)
    {
        _ = await RequireRowAsync(cancellationToken);
        _row = await store.FindByUidAsync(Uid, cancellationToken) ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
        return _row;
    }

    /// <summary>Why a card with no active wallet declines: blocked, or lost.</summary>
    private static DeclineReason Unusable(CardRow row) => row.BlockedBy is null ? DeclineReason.CardLost : DeclineReason.CardBlocked;

    private async Task SetStateAsync(CardRow row, CardState state, bool fusionPending, CancellationToken cancellationToken)
    {
        if (!await store.SetStateAsync(row.Uid, row.Version, state, fusionPending, cancellationToken))
        {
            DeactivateOnIdle();
            throw new DomainException(ErrorCodes.Unavailable, "The card changed meanwhile; retry with the same key.");
        }

        _row = row with { State = state, FusionPending = fusionPending, Version = row.Version + 1 };
        cashiers.Invalidate(row.Uid);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} cashier at {VenueId}: {Granted}")]
    private static partial void LogCashier(ILogger logger, string cardUid, string venueId, bool granted);
}

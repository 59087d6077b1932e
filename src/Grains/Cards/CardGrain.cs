using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// A card. Its state is its row in <c>cards</c> (written only here, guarded by a version number against a stale
/// activation), so lookups by number or QR id are plain SQL. Money goes to the wallet grain; the card decides which wallet.
/// </summary>
public sealed partial class CardGrain(CardStore store, WalletStore wallets, CashierRightsCache cashiers, ILogger<CardGrain> logger) : Grain, ICardGrain
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
    }

    public async Task<CardDetails> GetDetailsAsync(CancellationToken cancellationToken = default) => (await RequireRowAsync(cancellationToken)).ToDetails();

    public async Task<PaymentResult> PayAsync(SaleRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (request.Complement != PaymentMeans.SecondCard)
        {
            if (request.ComplementCard is not null)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A second card is named only for a second-card complement.");
            }

            // The card's own wallet decides (lost, or which wallet pays): the one rule for one-card sales (CardPayments).
            return await GrainFactory.GetWallet(row.CardWallet).PayWithCardAsync(request, Uid, cancellationToken);
        }

        if (row.ActiveWallet is not { } wallet)
        {
            return PaymentResult.Declined(DeclineReason.CardLost);
        }

        if (request.ComplementCard is not { } otherUid)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Name the second card.");
        }

        if (otherUid == Uid)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The second card must be another card.");
        }

        var other = await GrainFactory.GetCard(otherUid).GetDetailsAsync(cancellationToken);
        if (other.Wallet is not { } otherWallet)
        {
            return PaymentResult.Declined(DeclineReason.ComplementCardLost);
        }

        if (otherWallet == wallet)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The second card pays from the same wallet.");
        }

        // Two wallets: always enter through the lower id, so two opposite two-card payments cannot wait on each other.
        var coordinator = wallet.CompareTo(otherWallet) < 0 ? wallet : otherWallet;
        return await GrainFactory.GetWallet(coordinator).PayAsync(new WalletPayment(request, Uid, wallet, otherWallet, otherUid), cancellationToken);
    }

    public async Task<MovementResult> RefillAsync(RefillRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.ActiveWallet is not { } wallet)
        {
            return new MovementResult(false, DeclineReason.CardLost, TransactionKind.Refill, [], [], null, DateTimeOffset.UtcNow);
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
        var row = await RequireRowAsync(cancellationToken);
        return row.ActiveWallet is { } wallet
            ? await GrainFactory.GetWallet(wallet).RefundAsync(request, Uid, cancellationToken)
            : new RefundResult(false, DeclineReason.CardLost, 0, 0, 0, [], [], null, DateTimeOffset.UtcNow);
    }

    public async Task<MovementResult> BadgeAsync(BadgeRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        return row.ActiveWallet is { } wallet
            ? await GrainFactory.GetWallet(wallet).BadgeAsync(request, Uid, cancellationToken)
            : new MovementResult(false, DeclineReason.CardLost, TransactionKind.Badge, [], [], null, DateTimeOffset.UtcNow);
    }

    public async Task<WalletDetails> GetBalancesAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        var wallet = row.ActiveWallet ?? throw new DomainException(ErrorCodes.Conflict, "This card was declared lost.");
        return await GrainFactory.GetWallet(wallet).GetDetailsAsync(seenBy, cancellationToken);
    }

    public async Task<LinkCardResult> LinkToEmailAsync(LinkCardRequest request, CancellationToken cancellationToken = default)
    {
        var email = EmailAddress.Parse(request.Email.Value);
        var row = await RequireRowAsync(cancellationToken);
        switch (row.State)
        {
            case CardState.Lost:
                throw new DomainException(ErrorCodes.Conflict, "This card was declared lost.");
            case CardState.Identified:
                if (await store.FindUserWalletAsync(email, cancellationToken) != row.UserWallet)
                {
                    throw new DomainException(ErrorCodes.Conflict, "This card is linked to another user.");
                }

                break;
            default:
                // A first link whose key already moved money elsewhere would fail at the fusion, after the card had been
                // switched to the user's wallet: refuse it while nothing has changed.
                if (await wallets.FindOperationAsync(request.Key, cancellationToken) is not null)
                {
                    throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
                }

                var linked = await store.LinkAsync(row.Uid, row.Version, email, cancellationToken);
                if (linked is null)
                {
                    // Another activation changed the row: start again from the database.
                    DeactivateOnIdle();
                    throw new DomainException(ErrorCodes.Unavailable, "The card changed meanwhile; retry with the same key.");
                }

                row = (await store.FindByUidAsync(row.Uid, cancellationToken))!;
                _row = row;
                LogLinked(logger, row.Uid.Value);
                break;
        }

        // Before the fusion: from now on the card pays from the user's wallet, and its own wallet must know it.
        await GrainFactory.GetWallet(row.CardWallet).CardChangedAsync(cancellationToken);
        var userWallet = row.UserWallet!.Value;
        // Also when already linked: the wallet replays a used key's first movements, so an interrupted link finishes its
        // fusion exactly once and a retried one answers as the first did; a new key finds nothing left and writes nothing.
        var fusion = await GrainFactory.GetWallet(row.CardWallet).FuseIntoAsync(new FusionRequest(request.Key, userWallet, row.Uid), cancellationToken);
        if (row.FusionPending)
        {
            await SetStateAsync(row, CardState.Identified, fusionPending: false, cancellationToken);
        }

        return new LinkCardResult(_row!.ToDetails(), userWallet, fusion.Movements);
    }

    public async Task<CardDetails> DeclareLostAsync(CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.State != CardState.Lost)
        {
            await SetStateAsync(row, CardState.Lost, row.FusionPending, cancellationToken);
            LogLost(logger, row.Uid.Value);
        }

        // Also when already lost: a retry after a failed notice still reaches the wallet.
        await GrainFactory.GetWallet(row.CardWallet).CardChangedAsync(cancellationToken);

        return _row!.ToDetails();
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
        Task.FromResult(_row is { State: not CardState.Lost } row && row.CashierAt.Contains(venue));

    private async Task<CardRow> RequireRowAsync(CancellationToken cancellationToken)
    {
        // Not cached while missing: the card may be registered after this activation first looked.
        if (_row is null && CardUid.TryParse(this.GetPrimaryKeyString(), out var uid) && uid.Value == this.GetPrimaryKeyString())
        {
            _row = await store.FindByUidAsync(uid, cancellationToken);
        }

        return _row ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} linked to a user")]
    private static partial void LogLinked(ILogger logger, string cardUid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} declared lost")]
    private static partial void LogLost(ILogger logger, string cardUid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} cashier at {VenueId}: {Granted}")]
    private static partial void LogCashier(ILogger logger, string cardUid, string venueId, bool granted);
}

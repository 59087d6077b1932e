using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// A till. Not reentrant: a tap runs to its end (money moved, state stored) before the next one starts, so two taps can
/// never both serve one pending request. Only observer subscriptions interleave (they touch nothing else). What a
/// customer tap does lives beside it: at a counter in PointOfSaleGrain.Sale.cs (an order's bill in PointOfSaleGrain.Order.cs), at a
/// door in PointOfSaleGrain.Door.cs.
/// </summary>
public sealed partial class PointOfSaleGrain(
    [PersistentState("pointOfSale", StorageNames.Configuration)] IPersistentState<PointOfSaleState> state,
    VenueProfileCache venues,
    LedgerHistory ledger,
    CardWallets cardWallets,
    DoorCheckIn door,
    ILogger<PointOfSaleGrain> logger) : Grain, IPointOfSaleGrain
{
    public const int MaxNameLength = 200;
    public const int MaxTapIdLength = 100;
    public const int MaxReaderNameLength = 200;

    /// <summary>How long a subscription lives without renewal.</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(1);

    // The basket is checked when the screen sends it (Basket, the rules the wallet applies too), so a screen learns of a
    // bad basket then, not when the customer taps.
    private const int LastTransactions = 5;

    private readonly ObserverManager<IPointOfSaleObserver> _observers = new(ObserverExpiry, logger);
    private PointOfSaleId _id;

    private PointOfSaleDetails Current => state.State.Details ?? throw new DomainException(ErrorCodes.NotFound, "No such point of sale.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Keys come from PointOfSaleId, but a grain reached with a raw string must not exist under a malformed id.
        if (!PointOfSaleId.TryParseKey(this.GetPrimaryKeyString(), out _id))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Malformed point-of-sale key.");
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _observers.Clear();
        return Task.CompletedTask;
    }

    public async Task<PointOfSaleDetails> CreateAsync(CreatePointOfSaleRequest request, CancellationToken cancellationToken = default)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A point-of-sale name is 1 to {MaxNameLength} characters.");
        }

        if (state.State.Details is { } existing)
        {
            return existing.Name == name && existing.Mode == request.Mode
                ? existing
                : throw new DomainException(ErrorCodes.Conflict, "This point of sale already exists under another name or mode.");
        }

        RequireMode(request.Mode);
        _ = await GrainFactory.GetVenue(_id.Venue).GetDetailsAsync(cancellationToken); // NOT_FOUND for an unknown venue
        var details = new PointOfSaleDetails(_id, name, null, null, null, DateTimeOffset.UtcNow, request.Mode);
        await WriteAsync(details, state.State.RecentTaps);
        LogCreated(logger, _id.Key);
        return details;
    }

    public Task<PointOfSaleDetails> GetDetailsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Current);

    public async Task<PointOfSaleDetails> RequestPaymentAsync(RequestPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var current = RequireSale(Current);
        var lines = request.Lines.IsDefault ? [] : request.Lines;
        var total = Basket.Total(lines);
        var pending = new PendingRequest(Guid.CreateVersion7(), PendingRequestKind.Payment, lines, total, PaymentMeans.None, DateTimeOffset.UtcNow);
        var details = current with { Pending = pending };
        await WriteAsync(details, state.State.RecentTaps);
        LogRequested(logger, _id.Key, pending.Kind, total);
        Notify(new PaymentRequested(details, pending.RequestedAt, pending));
        return details;
    }

    public async Task<PointOfSaleDetails> RequestTopUpAsync(RequestTopUpRequest request, CancellationToken cancellationToken = default)
    {
        var current = RequireSale(Current);
        var amount = Cents.RequirePositive(request.Amount);
        if (request.Means is not (PaymentMeans.Cash or PaymentMeans.BankCard))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A top-up is paid in cash or by bank card.");
        }

        var pending = new PendingRequest(Guid.CreateVersion7(), PendingRequestKind.TopUp, [], amount, request.Means, DateTimeOffset.UtcNow);
        var details = current with { Pending = pending };
        await WriteAsync(details, state.State.RecentTaps);
        LogRequested(logger, _id.Key, pending.Kind, amount);
        Notify(new TopUpRequested(details, pending.RequestedAt, pending));
        return details;
    }

    public async Task<PointOfSaleDetails> CancelPendingRequestAsync(CancellationToken cancellationToken = default)
    {
        var current = Current;
        if (current.Pending is not { } pending)
        {
            return current;
        }

        var details = current with { Pending = null };
        await WriteAsync(details, state.State.RecentTaps);
        Notify(new PendingRequestCancelled(details, DateTimeOffset.UtcNow, pending));
        return details;
    }

    public async Task<TapResult> TapAsync(TapRequest request, CancellationToken cancellationToken = default)
    {
        var current = Current;
        var tapId = request.TapId ?? "";
        if (tapId.Length is 0 or > MaxTapIdLength || tapId.Any(char.IsControl))
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A tap id is 1 to {MaxTapIdLength} printable characters.");
        }

        var recent = state.State.RecentTaps.IsDefault ? [] : state.State.RecentTaps;
        foreach (var earlier in recent)
        {
            if (earlier.TapId == tapId)
            {
                LogTapReplayed(logger, _id.Key, tapId, earlier.Outcome);
                return earlier;
            }
        }

        var readerName = request.ReaderName?.Trim() ?? "";
        readerName = readerName.Length > MaxReaderNameLength ? readerName[..MaxReaderNameLength] : readerName;
        var tap = new Tap(tapId, readerName, CardUid.TryParse(request.Uid, out var uid) ? uid : null, DateTimeOffset.UtcNow);
        var (result, details) = await DecideAsync(current, tap, cancellationToken);

        // Oldest results drop out first; the new one goes last.
        var kept = recent.Length >= PointOfSaleState.MaxRecentTaps ? recent[(recent.Length - PointOfSaleState.MaxRecentTaps + 1)..] : recent;
        await WriteAsync(details, kept.Add(result));
        LogTap(logger, _id.Key, tapId, result.Outcome, result.Amount);
        if (result.Outcome is TapOutcome.TillOpened or TapOutcome.TillClosed)
        {
            LogTill(logger, _id.Key, result.Outcome, tap.Card!.Value.Value);
        }

        Notify(new TapHandled(details, result.At, result));
        return result;
    }

    public Task<PointOfSaleDetails> SubscribeAsync(IPointOfSaleObserver observer)
    {
        var current = Current;
        _observers.Subscribe(observer, observer);
        return Task.FromResult(current);
    }

    public Task UnsubscribeAsync(IPointOfSaleObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>What the tap means in the current mode; the new details are stored by the caller.</summary>
    private async Task<(TapResult Result, PointOfSaleDetails Details)> DecideAsync(PointOfSaleDetails current, Tap tap, CancellationToken cancellationToken)
    {
        if (tap.Card is not { } uid)
        {
            return (Result(tap, TapOutcome.UnknownCard, "This card is not registered."), current);
        }

        var card = GrainFactory.GetCard(uid);
        if (await card.IsCashierAtAsync(_id.Venue, cancellationToken))
        {
            return ToggleTill(current, tap, uid);
        }

        if (current.Cashier is not { } cashier)
        {
            return (Result(tap, TapOutcome.Refused, "The till is closed: open it with a cashier card."), current);
        }

        try
        {
            if (current.Mode == PointOfSaleMode.Door)
            {
                return (await DoorAsync(tap, uid, cashier, cancellationToken), current);
            }

            return current.Pending switch
            {
                { Kind: PendingRequestKind.Payment, Order: { } order } payment => await PayOrderAsync(current, tap, uid, cashier, payment, order, cancellationToken),
                { Kind: PendingRequestKind.Payment } payment => await PayAsync(current, tap, uid, cashier, payment, cancellationToken),
                { Kind: PendingRequestKind.TopUp } topUp => await TopUpAsync(current, tap, card, cashier, topUp, cancellationToken),
                _ => (await BalanceAsync(tap, card, cancellationToken), current),
            };
        }
        catch (DomainException ex) when (ex.Code == ErrorCodes.UnknownCard)
        {
            return (Result(tap, TapOutcome.UnknownCard, "This card is not registered."), current);
        }
        catch (DomainException ex) when (ex.Code is not (ErrorCodes.Unavailable or ErrorCodes.Internal))
        {
            // A rule of the cashless core refused it (cashier rights revoked meanwhile, no local currency to top up…):
            // the holder and the screen are told why, and the request stays pending. Transient failures are thrown,
            // so the agent retries with the same tap id.
            LogTapRefused(logger, _id.Key, tap.TapId, ex.Code);
            return (Result(tap, TapOutcome.Refused, ex.Message) with { RequestId = current.Pending?.Id }, current);
        }
    }

    private (TapResult, PointOfSaleDetails) ToggleTill(PointOfSaleDetails current, Tap tap, CardUid uid)
    {
        if (current.Cashier == uid)
        {
            return (Result(tap, TapOutcome.TillClosed, "Till closed."), current with { Cashier = null, TillOpenedAt = null });
        }

        var message = current.Cashier is null ? "Till opened." : "Till taken over by this cashier card.";
        return (Result(tap, TapOutcome.TillOpened, message), current with { Cashier = uid, TillOpenedAt = tap.At });
    }

    private TapResult Result(Tap tap, TapOutcome outcome, string message) =>
        new(tap.TapId, _id, tap.ReaderName, outcome, message, tap.Card, null, [], DeclineReason.None, 0, null, [], null, null, tap.At);

    /// <summary>
    /// The idempotency key of the money a pending request moves: the point of sale and the request's id, whatever tap
    /// serves it. A crash between the ledger commit and storing the till's state leaves the request pending; the next
    /// tap (any tap id) carries the same key and gets the first result back, so a basket is charged at most once.
    /// </summary>
    public static IdempotencyKey RequestKey(PointOfSaleId pointOfSale, Guid requestId) =>
        // At most 4 + 100 + 1 + 100 + 9 + 32 = 246 characters: within IdempotencyKey.MaxLength.
        new("pos:" + pointOfSale.Key + ":request:" + requestId.ToString("N"));

    private async Task WriteAsync(PointOfSaleDetails details, ImmutableArray<TapResult> recentTaps)
    {
        state.State.Details = details;
        state.State.RecentTaps = recentTaps;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Memory may now be ahead of storage: start again from the stored truth. Money a tap moved is safe: the
            // request stays pending, and the next tap carries its ledger key and gets the first result back.
            DeactivateOnIdle();
            LogWriteFailed(logger, ex, _id.Key);
            throw new DomainException(ErrorCodes.Unavailable, "The point of sale could not store this change; retry with the same tap id.");
        }
    }

    private void Notify(PointOfSaleEvent pointOfSaleEvent)
    {
        if (_observers.Count > 0)
        {
            // One-way calls: this only queues the messages, so a slow or vanished screen never delays a tap.
            _observers.Notify(observer => { _ = observer.OnEventAsync(pointOfSaleEvent); });
        }
    }

    private sealed record Tap(string TapId, string ReaderName, CardUid? Card, DateTimeOffset At);

    [LoggerMessage(Level = LogLevel.Information, Message = "Point of sale {PointOfSale} created")]
    private static partial void LogCreated(ILogger logger, string pointOfSale);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Point of sale {PointOfSale}: {Kind} of {Amount} requested")]
    private static partial void LogRequested(ILogger logger, string pointOfSale, PendingRequestKind kind, long amount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Point of sale {PointOfSale} tap {TapId}: {Outcome}, amount {Amount}")]
    private static partial void LogTap(ILogger logger, string pointOfSale, string tapId, TapOutcome outcome, long? amount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Point of sale {PointOfSale} tap {TapId} retried: answering its first result, {Outcome}")]
    private static partial void LogTapReplayed(ILogger logger, string pointOfSale, string tapId, TapOutcome outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Point of sale {PointOfSale} tap {TapId} refused by the cashless core: {Code}")]
    private static partial void LogTapRefused(ILogger logger, string pointOfSale, string tapId, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Point of sale {PointOfSale}: {Outcome} by cashier card {CardUid}")]
    private static partial void LogTill(ILogger logger, string pointOfSale, TapOutcome outcome, string cardUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Point of sale {PointOfSale} could not store its state; deactivating to reload it")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string pointOfSale);
}

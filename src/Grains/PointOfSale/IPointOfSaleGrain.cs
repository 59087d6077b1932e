using Orleans.Concurrency;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// One till of a venue, keyed by <see cref="PointOfSaleId.Key"/> (reach it with
/// <see cref="PointOfSaleGrainFactoryExtensions.GetPointOfSale"/>). It decides what a card tap on one of its readers
/// means from its current mode: a cashier card opens or closes the till; with the till open, a customer tap at a counter
/// (SALE) pays the pending payment, credits the pending top-up, or shows the card's balances, and at a DOOR checks the
/// card holder in for the event under way at the venue (never moving money). Every change is stored before it is
/// answered and told to the subscribed screens. NOT_FOUND for a point of sale never created.
/// </summary>
[Alias("TiBillet.Grains.PointOfSale.IPointOfSaleGrain")]
public interface IPointOfSaleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the point of sale, its till closed, in the request's mode. Idempotent for the same name and mode. NOT_FOUND
    /// for an unknown venue; BAD_USER_INPUT for a bad name or mode; CONFLICT if it exists under another name or mode.
    /// </summary>
    [Alias("CreateAsync")]
    Task<PointOfSaleDetails> CreateAsync(CreatePointOfSaleRequest request, CancellationToken cancellationToken = default);

    /// <summary>The point of sale.</summary>
    [Alias("GetDetailsAsync"), ReadOnly]
    Task<PointOfSaleDetails> GetDetailsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets what customer taps do: SALE (a counter) or DOOR (check-in of the card holder, no money). A change drops the
    /// pending request. Idempotent. BAD_USER_INPUT for an unknown mode.
    /// </summary>
    [Alias("SetModeAsync")]
    Task<PointOfSaleDetails> SetModeAsync(PointOfSaleMode mode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the basket the pending request, replacing any other. BAD_USER_INPUT for a basket outside the rules of
    /// <see cref="Wallets.Basket"/> (the same a sale at the counter follows); CONFLICT at a door.
    /// </summary>
    [Alias("RequestPaymentAsync")]
    Task<PointOfSaleDetails> RequestPaymentAsync(RequestPaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a payment of an order (its named lines, all its unpaid lines, or the next equal share) the pending request,
    /// replacing any other; the next customer tap pays it through the order grain under the request's key. The same key while
    /// the request waits changes nothing. NOT_FOUND for an order of another venue; the order's own refusals (ALREADY_PAID,
    /// CONFLICT while a payment is in doubt or for a key already used, BAD_USER_INPUT for a bad share count); CONFLICT at a door.
    /// </summary>
    [Alias("RequestOrderPaymentAsync")]
    Task<PointOfSaleDetails> RequestOrderPaymentAsync(RequestOrderPaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a top-up the pending request, replacing any other. BAD_USER_INPUT for an amount that is not positive or a
    /// means other than cash or bank card; CONFLICT at a door.
    /// </summary>
    [Alias("RequestTopUpAsync")]
    Task<PointOfSaleDetails> RequestTopUpAsync(RequestTopUpRequest request, CancellationToken cancellationToken = default);

    /// <summary>Drops the pending request, if any (idempotent).</summary>
    [Alias("CancelPendingRequestAsync")]
    Task<PointOfSaleDetails> CancelPendingRequestAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Handles a card tap and says what it did; refusals, declines and unknown cards are results, not errors. A payment
    /// or top-up carries an idempotency key derived from this point of sale and the tap id, and the last
    /// <see cref="PointOfSaleState.MaxRecentTaps"/> results are kept: a retried tap moves money at most once and gets
    /// its first result back, also after a restart. BAD_USER_INPUT for a tap id that is not 1–100 printable characters;
    /// UNAVAILABLE when the outcome could not be stored (retry with the same tap id).
    /// </summary>
    [Alias("TapAsync")]
    Task<TapResult> TapAsync(TapRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes (or renews) an observer for about <see cref="PointOfSaleGrain.ObserverExpiry"/>; renew well within
    /// it. Returns the point of sale as it is now. Always interleaves: a screen must be able to subscribe while a tap
    /// waits on the ledger, and it only touches the observer list.
    /// </summary>
    [Alias("SubscribeAsync"), AlwaysInterleave]
    Task<PointOfSaleDetails> SubscribeAsync(IPointOfSaleObserver observer);

    /// <summary>Removes an observer (idempotent). Always interleaves, as <see cref="SubscribeAsync"/>.</summary>
    [Alias("UnsubscribeAsync"), AlwaysInterleave]
    Task UnsubscribeAsync(IPointOfSaleObserver observer);
}

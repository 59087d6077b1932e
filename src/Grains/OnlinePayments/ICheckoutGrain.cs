namespace TiBillet.Grains.OnlinePayments;

/// <summary>
/// The single writer of one Checkout Session's completion (key: the Stripe session id). The webhook and the customer's
/// return both report what Stripe says of the session here; whichever comes first fulfils it (membership recorded, or
/// FED credited by the ledger under a key derived from the session id, or the reservation confirmed through its event's
/// one confirmation path), the other finds it done. Fulfilment is idempotent by that key even if two activations ever ran
/// it. A ticket payment that can no longer confirm its reservation (the hold ran out, it was cancelled or paid another
/// way) is refunded in full through Stripe and the session is Refunded.
/// </summary>
[Alias("TiBillet.Grains.OnlinePayments.ICheckoutGrain")]
public interface ICheckoutGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies Stripe's view of the session: paid → fulfilled and Completed; finished with a delayed payment → AwaitingPayment;
    /// <paramref name="paymentFailed"/> → Failed; expired → Expired. A final status never changes. NOT_FOUND for a session
    /// we did not create; CONFLICT when Stripe's amount differs from ours.
    /// </summary>
    [Alias("ApplyAsync")]
    Task<CheckoutSession> ApplyAsync(StripeSessionView view, bool paymentFailed, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a completed session's whole payment back through Stripe, under the session's refund key (a retry refunds
    /// once), and marks it Refunded. A refunded session is returned as it is; CONFLICT for one that was never paid.
    /// </summary>
    [Alias("RefundAsync")]
    Task<CheckoutSession> RefundAsync(CancellationToken cancellationToken = default);
}

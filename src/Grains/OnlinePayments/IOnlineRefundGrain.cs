using TiBillet.Grains.Common;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>
/// Online FED refunds of one customer wallet (key: the wallet id), one at a time so two refunds never plan the same
/// payment twice. A refund is spread over the wallet's FED bought through Stripe, newest payment first; the FED leaves
/// the wallet through the ledger first, then each part goes to Stripe under a key of its own, so a retry with the same
/// key finishes the same plan and never refunds twice.
/// </summary>
[Alias("TiBillet.Grains.OnlinePayments.IOnlineRefundGrain")]
public interface IOnlineRefundGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Refunds <paramref name="amount"/> cents of FED to the original payments. Declined InsufficientFunds when the wallet
    /// holds less FED (nothing written). NO_STRIPE_PAYMENT when the Stripe payments left to refund cover less than asked;
    /// CONFLICT for the key reused with another amount; PAYMENTS_DISABLED without Stripe.
    /// </summary>
    [Alias("RefundFedAsync")]
    Task<OnlineRefundResult> RefundFedAsync(IdempotencyKey key, long amount, CancellationToken cancellationToken = default);
}

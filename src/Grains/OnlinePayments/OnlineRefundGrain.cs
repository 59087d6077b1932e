using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>See <see cref="IOnlineRefundGrain"/>. The plan is stored before Stripe is called; the grain keeps nothing in memory.</summary>
public sealed class OnlineRefundGrain(CheckoutStore store, StripeGateway stripe) : Grain, IOnlineRefundGrain
{
    /// <summary>The reason written on the ledger debit (part of the request: constant, so retries replay).</summary>
    public const string LedgerReason = "FED refunded online to the original Stripe payments";

    public async Task<OnlineRefundResult> RefundFedAsync(IdempotencyKey key, long amount, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(amount);
        stripe.RequireClient();
        var wallet = new WalletId(this.GetPrimaryKey());
        var (requested, parts) = await store.RefundPartsAsync(key.Value, cancellationToken);
        if (parts.IsEmpty)
        {
            parts = Plan(await store.RefundableTopUpsAsync(wallet, cancellationToken), amount);
        }
        else if (requested != amount)
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was used for another refund.");
        }

        // The FED leaves the wallet first (back to its mint: the money goes back out of the network by card), as an
        // ONLINE_REFUND in the wallet's history. A retry replays this debit under the same key.
        var debit = await GrainFactory.GetWallet(wallet).CorrectAsync(new CorrectionRequest(key.Derive("ledger"), AssetId.Federated, amount, false, LedgerReason, TransactionKind.OnlineRefund), cancellationToken);
        if (!debit.Approved)
        {
            return new OnlineRefundResult(false, debit.Reason, amount, []);
        }

        await store.PlanRefundAsync(key.Value, wallet, amount, parts, cancellationToken);
        (_, parts) = await store.RefundPartsAsync(key.Value, cancellationToken);
        var done = ImmutableArray.CreateBuilder<OnlineRefundPart>();
        foreach (var part in parts)
        {
            if (part.StripeRefund is not null)
            {
                done.Add(part);
                continue;
            }

            var refund = await stripe.RefundAsync(part.PaymentIntent, part.Amount, null, key.Derive(part.Session).Value, cancellationToken);
            await store.SetStripeRefundAsync(key.Value, part.Session, refund, cancellationToken);
            done.Add(part with { StripeRefund = refund });
        }

        return new OnlineRefundResult(true, DeclineReason.None, amount, done.ToImmutable());
    }

    /// <summary>Newest payment first, each up to what is left to refund on it. NO_STRIPE_PAYMENT when they cannot cover the amount.</summary>
    public static ImmutableArray<OnlineRefundPart> Plan(ImmutableArray<(string Session, string PaymentIntent, long Refundable)> payments, long amount)
    {
        var parts = ImmutableArray.CreateBuilder<OnlineRefundPart>();
        var left = amount;
        foreach (var (session, intent, refundable) in payments)
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, refundable);
            parts.Add(new OnlineRefundPart(session, intent, take, null));
            left -= take;
        }

        return left > 0
            ? throw new DomainException(ErrorCodes.NoStripePayment, "These FED were not bought online, or were refunded already: refund them at a counter.")
            : parts.ToImmutable();
    }
}

using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>See <see cref="ICheckoutGrain"/>. Keeps nothing in memory: the session's row is read on each call.</summary>
public sealed partial class CheckoutGrain(CheckoutStore store, ILogger<CheckoutGrain> logger) : Grain, ICheckoutGrain
{
    public async Task<CheckoutSession> ApplyAsync(StripeSessionView view, bool paymentFailed, CancellationToken cancellationToken = default)
    {
        var id = this.GetPrimaryKeyString();
        var session = await store.FindAsync(id, cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such checkout session.");
        if (session.Status is CheckoutStatus.Completed or CheckoutStatus.Failed or CheckoutStatus.Expired)
        {
            return session;
        }

        var paid = view.Status == "complete" && view.PaymentStatus is "paid" or "no_payment_required";
        if (paid)
        {
            if (view.AmountTotal is { } total && total != session.Amount)
            {
                throw new DomainException(ErrorCodes.Conflict, "Stripe reports another amount for this session.");
            }

            await FulfilAsync(session, cancellationToken);
            LogCompleted(logger, id, session.Kind);
            return await store.SetStatusAsync(id, CheckoutStatus.Completed, view.PaymentIntent, cancellationToken);
        }

        if (paymentFailed)
        {
            return await store.SetStatusAsync(id, CheckoutStatus.Failed, view.PaymentIntent, cancellationToken);
        }

        return view.Status switch
        {
            "complete" => await store.SetStatusAsync(id, CheckoutStatus.AwaitingPayment, view.PaymentIntent, cancellationToken),
            "expired" => await store.SetStatusAsync(id, CheckoutStatus.Expired, view.PaymentIntent, cancellationToken),
            _ => session,
        };
    }

    /// <summary>The ledger's (or the membership's) key for a session: derived from its id, so every completion after the first replays.</summary>
    public static IdempotencyKey FulfilmentKey(string sessionId) => new("stripe-checkout:" + sessionId);

    private async Task FulfilAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var key = FulfilmentKey(session.Id);
        if (session.Kind == CheckoutKind.Membership)
        {
            await GrainFactory.GetMembership(session.Wallet, session.Venue!.Value)
                .RecordOnlineAsync(new OnlineMembershipRequest(key, session.Product!.Value, session.Id, session.Amount), cancellationToken);
            return;
        }

        // FED bought online: issued from its mint into the customer's wallet, with the payment's amount as external money.
        var issued = await GrainFactory.GetWallet(session.Wallet).IssueAsync(new IssueRequest(key, AssetId.Federated, session.Amount, PaymentMeans.Online), cancellationToken);
        if (!issued.Approved)
        {
            throw new DomainException(ErrorCodes.Internal, "The FED credit was declined.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} paid and fulfilled ({Kind})")]
    private static partial void LogCompleted(ILogger logger, string sessionId, CheckoutKind kind);
}

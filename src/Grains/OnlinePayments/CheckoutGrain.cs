using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>See <see cref="ICheckoutGrain"/>. Keeps nothing in memory: the session's row is read on each call.</summary>
public sealed partial class CheckoutGrain(CheckoutStore store, StripeGateway stripe, ILogger<CheckoutGrain> logger) : Grain, ICheckoutGrain
{
    public async Task<CheckoutSession> ApplyAsync(StripeSessionView view, bool paymentFailed, CancellationToken cancellationToken = default)
    {
        var id = this.GetPrimaryKeyString();
        var session = await store.FindAsync(id, cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such checkout session.");
        if (session.Status is CheckoutStatus.Completed or CheckoutStatus.Failed or CheckoutStatus.Expired or CheckoutStatus.Refunded)
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

            if (session.Kind == CheckoutKind.Ticket && !await ConfirmReservationAsync(session, cancellationToken))
            {
                return await RefundPaymentAsync(session, view.PaymentIntent, cancellationToken);
            }

            await FulfilAsync(session, cancellationToken);
            LogCompleted(logger, id, session.Kind);
            return await store.SetStatusAsync(id, CheckoutStatus.Completed, view.PaymentIntent, cancellationToken);
        }

        if (paymentFailed || view.Status == "expired")
        {
            // Seats held for an unpaid ticket session go back now rather than when the hold runs out (released first: a
            // retry after a failure in between releases again, harmlessly).
            await ReleaseReservationAsync(session, cancellationToken);
            return await store.SetStatusAsync(id, paymentFailed ? CheckoutStatus.Failed : CheckoutStatus.Expired, view.PaymentIntent, cancellationToken);
        }

        return view.Status == "complete"
            ? await store.SetStatusAsync(id, CheckoutStatus.AwaitingPayment, view.PaymentIntent, cancellationToken)
            : session;
    }

    public async Task<CheckoutSession> RefundAsync(CancellationToken cancellationToken = default)
    {
        var session = await store.FindAsync(this.GetPrimaryKeyString(), cancellationToken)
                      ?? throw new DomainException(ErrorCodes.NotFound, "No such checkout session.");
        return session.Status switch
        {
            CheckoutStatus.Refunded => session,
            CheckoutStatus.Completed => await RefundPaymentAsync(session, null, cancellationToken),
            _ => throw new DomainException(ErrorCodes.Conflict, "This checkout session was not paid."),
        };
    }

    /// <summary>The ledger's (or the membership's) key for a session: derived from its id, so every completion after the first replays.</summary>
    public static IdempotencyKey FulfilmentKey(string sessionId) => new("stripe-checkout:" + sessionId);

    /// <summary>Stripe's key for giving a session's payment back: one per session, since a payment is only ever refunded whole.</summary>
    public static IdempotencyKey RefundKey(string sessionId) => new("stripe-checkout:" + sessionId + ":refund");

    private async Task FulfilAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var key = FulfilmentKey(session.Id);
        if (session.Kind == CheckoutKind.Ticket)
        {
            return;
        }

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

    /// <summary>
    /// Confirms the session's reservation through its event's confirmation path, as a wallet or counter payment does. False
    /// when it never can be any more: its hold ran out, it or its event was cancelled, or it was paid another way. A
    /// passing state (another change of the reservation running) throws, and Stripe's retry or the return tries again.
    /// </summary>
    private async Task<bool> ConfirmReservationAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var evt = GrainFactory.GetEvent(session.Event!.Value);
        var reservation = session.Reservation!.Value;
        try
        {
            var confirmed = await evt.ConfirmAsync(
                new ConfirmRequest(reservation, ConfirmMeans.Stripe, session.Customer, null, null, null, session.Id), cancellationToken);
            return confirmed.CheckoutSession == session.Id;
        }
        catch (DomainException e) when (e.Code is ErrorCodes.HoldExpired or ErrorCodes.SalesClosed or ErrorCodes.NotFound or ErrorCodes.Conflict)
        {
            var now = await evt.FindReservationAsync(reservation, null, cancellationToken);
            if (e.Code == ErrorCodes.Conflict && now is { State: ReservationState.Held or ReservationState.Confirmed })
            {
                throw;
            }

            LogUnconfirmable(logger, session.Id, reservation, e.Code);
            return false;
        }
    }

    private async Task ReleaseReservationAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        if (session.Kind == CheckoutKind.Ticket)
        {
            await GrainFactory.GetEvent(session.Event!.Value).ReleaseHoldAsync(session.Reservation!.Value, cancellationToken);
        }
    }

    private async Task<CheckoutSession> RefundPaymentAsync(CheckoutSession session, string? paymentIntent, CancellationToken cancellationToken)
    {
        var intent = paymentIntent ?? session.PaymentIntent ?? throw new DomainException(ErrorCodes.Conflict, "This checkout session has no payment to refund.");
        var refund = await stripe.RefundAsync(intent, session.Amount, session.StripeAccount, RefundKey(session.Id).Value, cancellationToken);
        LogRefunded(logger, session.Id, refund);
        return await store.SetRefundedAsync(session.Id, refund, intent, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} paid and fulfilled ({Kind})")]
    private static partial void LogCompleted(ILogger logger, string sessionId, CheckoutKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} was paid but reservation {ReservationId} cannot be confirmed ({Code}): refunding")]
    private static partial void LogUnconfirmable(ILogger logger, string sessionId, Guid reservationId, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkout session {SessionId} refunded through Stripe ({RefundId})")]
    private static partial void LogRefunded(ILogger logger, string sessionId, string refundId);
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Memberships;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>What a Checkout Session pays for. Stored as smallint: values are frozen.</summary>
public enum CheckoutKind : short
{
    /// <summary>A membership, charged directly on the venue's connected account.</summary>
    Membership = 0,

    /// <summary>FED bought on the platform account, credited to the customer's wallet by the ledger.</summary>
    FedTopUp = 1,

    /// <summary>The seats of a held reservation, charged directly on the event venue's connected account.</summary>
    Ticket = 2,
}

/// <summary>Where a session stands on our side. Stored as smallint: values are frozen.</summary>
public enum CheckoutStatus : short
{
    /// <summary>Created; the customer has not paid yet.</summary>
    Open = 0,

    /// <summary>Checkout finished with a delayed payment method: waiting for Stripe to say it succeeded or failed.</summary>
    AwaitingPayment = 1,

    /// <summary>Paid and fulfilled (membership recorded, FED credited). Final.</summary>
    Completed = 2,

    /// <summary>The delayed payment failed: nothing was fulfilled. Final.</summary>
    Failed = 3,

    /// <summary>The session expired unpaid. Final.</summary>
    Expired = 4,

    /// <summary>
    /// Paid, then given back in full through Stripe: the reservation's hold ran out (or it was cancelled) before the payment
    /// came, or a reservation it confirmed was cancelled later. Final.
    /// </summary>
    Refunded = 5,
}

/// <summary>A Checkout Session as we keep it: who pays, for what (a membership, FED, or a reservation's seats), and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.OnlinePayments.CheckoutSession")]
public sealed record CheckoutSession(
    string Id,
    CheckoutKind Kind,
    EmailAddress Customer,
    WalletId Wallet,
    VenueId? Venue,
    string? StripeAccount,
    MembershipProductId? Product,
    long Amount,
    string Currency,
    CheckoutStatus Status,
    string? Url,
    string? PaymentIntent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    Events.EventId? Event = null,
    Guid? Reservation = null,
    string? StripeRefund = null);

/// <summary>A session as Stripe reports it (from a webhook's payload or a retrieval).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.OnlinePayments.StripeSessionView")]
public sealed record StripeSessionView(string Id, string? Status, string? PaymentStatus, string? PaymentIntent, long? AmountTotal, string? Url);

/// <summary>The answer to an online FED refund: the parts refunded to each original payment, newest first.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.OnlinePayments.OnlineRefundResult")]
public sealed record OnlineRefundResult(bool Approved, Wallets.DeclineReason Reason, long Amount, System.Collections.Immutable.ImmutableArray<OnlineRefundPart> Parts);

/// <summary>One part of an online refund: <see cref="Amount"/> cents back to the payment of session <see cref="Session"/>.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.OnlinePayments.OnlineRefundPart")]
public sealed record OnlineRefundPart(string Session, string PaymentIntent, long Amount, string? StripeRefund);

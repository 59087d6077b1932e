using GraphQL.Types;
using TiBillet.Grains.OnlinePayments;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.OnlinePayments;

public sealed class CheckoutKindGraphType : EnumerationGraphType<CheckoutKind>
{
    public CheckoutKindGraphType() => Name = "CheckoutKind";
}

public sealed class CheckoutStatusGraphType : EnumerationGraphType<CheckoutStatus>
{
    public CheckoutStatusGraphType()
    {
        Name = "CheckoutStatus";
        Description = "OPEN (not paid yet), AWAITING_PAYMENT (a delayed payment method: Stripe has not said yet), COMPLETED (paid and fulfilled), FAILED, EXPIRED, " +
                      "REFUNDED (paid, then given back in full through Stripe: a reservation whose hold ran out first, or that was cancelled).";
    }
}

public sealed class CheckoutSessionGraphType : ObjectGraphType<CheckoutSession>
{
    public CheckoutSessionGraphType()
    {
        Name = "CheckoutSession";
        Description = "A Stripe Checkout Session: send the customer to url; completeCheckout (or Stripe's webhook) completes it once paid.";
        Field<NonNullGraphType<StringGraphType>>("sessionId").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<CheckoutKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<CheckoutStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("url").Description("Stripe's payment page.").Resolve(c => c.Source.Url);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("In cents.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<StringGraphType>>("currency").Resolve(c => c.Source.Currency);
        Field<IdGraphType>("venueId").Resolve(c => c.Source.Venue?.Value);
        Field<IdGraphType>("productId").Resolve(c => c.Source.Product?.Value);
        Field<NonNullGraphType<IdGraphType>>("walletId").Description("The customer's wallet: the membership's holder, or where FED is credited.").Resolve(c => c.Source.Wallet.Value);
        Field<DateTimeOffsetGraphType>("completedAt").Resolve(c => c.Source.CompletedAt);
        Field<IdGraphType>("eventId").Description("TICKET: the event of the reservation paid.").Resolve(c => c.Source.Event?.ToString());
        Field<IdGraphType>("reservationId").Description("TICKET: the reservation paid.").Resolve(c => c.Source.Reservation);
        Field<StringGraphType>("stripeRefundId").Description("REFUNDED: Stripe's refund.").Resolve(c => c.Source.StripeRefund);
    }
}

public sealed class OnlineRefundPartGraphType : ObjectGraphType<OnlineRefundPart>
{
    public OnlineRefundPartGraphType()
    {
        Name = "OnlineRefundPart";
        Field<NonNullGraphType<StringGraphType>>("sessionId").Resolve(c => c.Source.Session);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<StringGraphType>("stripeRefundId").Resolve(c => c.Source.StripeRefund);
    }
}

public sealed class OnlineRefundResultGraphType : ObjectGraphType<OnlineRefundResult>
{
    public OnlineRefundResultGraphType()
    {
        Name = "OnlineRefundResult";
        Field<NonNullGraphType<BooleanGraphType>>("approved").Resolve(c => c.Source.Approved);
        Field<DeclineReasonGraphType>("reason").Resolve(c => c.Source.Reason == DeclineReason.None ? null : c.Source.Reason);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OnlineRefundPartGraphType>>>>("parts")
            .Description("Newest payment first.").Resolve(c => c.Source.Parts.IsDefault ? [] : c.Source.Parts);
    }
}

/// <summary>The <c>setVenueStripeAccount</c> input.</summary>
public sealed record SetVenueStripeAccountInput(string VenueId, string AccountId);

public sealed class SetVenueStripeAccountInputGraphType : InputObjectGraphType<SetVenueStripeAccountInput>
{
    public SetVenueStripeAccountInputGraphType()
    {
        Name = "SetVenueStripeAccountInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<StringGraphType>>("accountId").Description("The venue's Stripe connected account (acct_…).");
    }
}

/// <summary>The <c>buyMembershipOnline</c> input.</summary>
public sealed record BuyMembershipOnlineInput(string IdempotencyKey, string VenueId, string ProductId);

public sealed class BuyMembershipOnlineInputGraphType : InputObjectGraphType<BuyMembershipOnlineInput>
{
    public BuyMembershipOnlineInputGraphType()
    {
        Name = "BuyMembershipOnlineInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the customer: the same key gives the same session.");
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<IdGraphType>>("productId");
    }
}

/// <summary>The <c>topUpOnline</c> input.</summary>
public sealed record TopUpOnlineInput(string IdempotencyKey, long Amount);

public sealed class TopUpOnlineInputGraphType : InputObjectGraphType<TopUpOnlineInput>
{
    public TopUpOnlineInputGraphType()
    {
        Name = "TopUpOnlineInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the customer: the same key gives the same session.");
        Field<NonNullGraphType<LongGraphType>>("amount").Description("FED to buy, in cents (> 0).");
    }
}

/// <summary>The <c>completeCheckout</c> input.</summary>
public sealed record CompleteCheckoutInput(string SessionId);

public sealed class CompleteCheckoutInputGraphType : InputObjectGraphType<CompleteCheckoutInput>
{
    public CompleteCheckoutInputGraphType()
    {
        Name = "CompleteCheckoutInput";
        Field<NonNullGraphType<StringGraphType>>("sessionId").Description("The session id Stripe puts in the return URL.");
    }
}

/// <summary>The <c>refundMyFedOnline</c> input.</summary>
public sealed record RefundMyFedOnlineInput(string IdempotencyKey, long Amount);

public sealed class RefundMyFedOnlineInputGraphType : InputObjectGraphType<RefundMyFedOnlineInput>
{
    public RefundMyFedOnlineInputGraphType()
    {
        Name = "RefundMyFedOnlineInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the customer: a retry with the same key refunds once.");
        Field<NonNullGraphType<LongGraphType>>("amount").Description("FED to refund, in cents (> 0).");
    }
}

/// <summary>The <c>payReservationOnline</c> input.</summary>
public sealed record PayReservationOnlineInput(string IdempotencyKey, string EventId, string ReservationId);

public sealed class PayReservationOnlineInputGraphType : InputObjectGraphType<PayReservationOnlineInput>
{
    public PayReservationOnlineInputGraphType()
    {
        Name = "PayReservationOnlineInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the customer; a reservation has one session whatever the key.");
        Field<NonNullGraphType<IdGraphType>>("eventId");
        Field<NonNullGraphType<IdGraphType>>("reservationId");
    }
}

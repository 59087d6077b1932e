using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.OnlinePayments;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.OnlinePayments;

/// <summary>Online payment through Stripe Checkout: a venue's connected account (venue ADMIN), and a customer's purchases, returns and refunds.</summary>
public sealed partial class OnlinePaymentMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<BooleanGraphType>>("setVenueStripeAccount")
            .Description("Sets the venue's Stripe connected account, which its memberships and tickets are charged on (venue ADMIN). BAD_USER_INPUT unless acct_….")
            .Argument<NonNullGraphType<SetVenueStripeAccountInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetVenueStripeAccountInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                var account = input.AccountId?.Trim() ?? "";
                if (!AccountPattern().IsMatch(account))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "A Stripe account id looks like acct_ followed by letters and digits.");
                }

                await c.Service<CheckoutStore>().SetVenueAccountAsync(venue, account, c.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<CheckoutSessionGraphType>>("buyMembershipOnline")
            .Description("Starts a Stripe Checkout Session for one period of a membership, charged on the venue's connected account (customer). " +
                         "PAYMENTS_DISABLED without Stripe; VENUE_NOT_CONNECTED when the venue has no account; NOT_FOUND for a product of another venue.")
            .Argument<NonNullGraphType<BuyMembershipOnlineInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<BuyMembershipOnlineInput>("input");
                var customer = Customer(c);
                return await c.Service<OnlineCheckout>().StartMembershipAsync(customer, IdempotencyScope.ForUser(customer, input.IdempotencyKey),
                    VenueId.Parse(input.VenueId), MembershipProductId.Parse(input.ProductId), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CheckoutSessionGraphType>>("topUpOnline")
            .Description("Starts a Stripe Checkout Session buying FED on the platform's account (customer); once paid, the ledger credits the " +
                         "customer's wallet. PAYMENTS_DISABLED without Stripe; BAD_USER_INPUT over MoneyLimitsOptions:MaxTopUp.")
            .Argument<NonNullGraphType<TopUpOnlineInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<TopUpOnlineInput>("input");
                c.RequireWithinLimit(input.Amount, o => o.MaxTopUp, "The top-up");
                var customer = Customer(c);
                return await c.Service<OnlineCheckout>().StartFedTopUpAsync(customer, IdempotencyScope.ForUser(customer, input.IdempotencyKey), input.Amount, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CheckoutSessionGraphType>>("payReservationOnline")
            .Description("Starts a Stripe Checkout Session paying the customer's held reservation, charged on the venue's connected account (customer). " +
                         "Once paid (webhook or return, whichever first) the reservation is confirmed as any payment confirms it; paid after its hold ran out, " +
                         "the payment is refunded in full (session REFUNDED). PAYMENTS_DISABLED, VENUE_NOT_CONNECTED, HOLD_EXPIRED, NOT_FOUND, " +
                         "CONFLICT (confirmed or cancelled already), BAD_USER_INPUT (a free reservation).")
            .Argument<NonNullGraphType<PayReservationOnlineInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PayReservationOnlineInput>("input");
                var customer = Customer(c);
                return await c.Service<OnlineCheckout>().StartReservationAsync(customer, IdempotencyScope.ForUser(customer, input.IdempotencyKey),
                    EventId.Parse(input.EventId), ParseReservation(input.ReservationId), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CheckoutSessionGraphType>>("completeCheckout")
            .Description("The customer's return from Stripe: reads the session from Stripe and completes it if paid. Whether this or Stripe's " +
                         "webhook comes first, the purchase is fulfilled once. NOT_FOUND for another customer's session.")
            .Argument<NonNullGraphType<CompleteCheckoutInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
                await c.Service<OnlineCheckout>().CompleteAsync(Customer(c), c.GetArgument<CompleteCheckoutInput>("input").SessionId ?? "", c.CancellationToken));

        mutation.Field<NonNullGraphType<OnlineRefundResultGraphType>>("refundMyFedOnline")
            .Description("Gives FED back to the customer's original Stripe payments, newest first (customer). Declined INSUFFICIENT_FUNDS when the " +
                         "wallet holds less FED; NO_STRIPE_PAYMENT when the FED came another way (refund it at a counter). Idempotent by key.")
            .Argument<NonNullGraphType<RefundMyFedOnlineInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RefundMyFedOnlineInput>("input");
                c.RequireWithinLimit(input.Amount, o => o.MaxRefund, "The refund");
                var customer = Customer(c);
                var key = IdempotencyScope.ForUser(customer, input.IdempotencyKey);
                c.Service<StripeGateway>().RequireClient();
                var wallet = await c.Service<CustomerStore>().EnsureUserWalletAsync(customer, c.CancellationToken);
                return await c.Grains().GetGrain<IOnlineRefundGrain>(wallet.Value).RefundFedAsync(key, input.Amount, c.CancellationToken);
            });
    }

    private static EmailAddress Customer(IResolveFieldContext c) =>
        c.Caller().CustomerEmail() ?? throw new DomainException(ErrorCodes.Forbidden, "A customer sign-in is needed.");

    private static Guid ParseReservation(string? value) =>
        Guid.TryParse(value, out var id) ? id : throw new DomainException(ErrorCodes.BadUserInput, "Not a reservation id.");

    [GeneratedRegex("^acct_[A-Za-z0-9]{1,64}$")]
    private static partial Regex AccountPattern();
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Events;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>
/// Starts Checkout Sessions for a signed-in customer and completes them from the return URL. A membership or a
/// reservation's tickets are a direct charge on the venue's connected account; FED is bought on the platform's account. Starting is idempotent by the
/// customer's key (Stripe gets the same key, so a retry after a lost answer gets the same session). Thread-safe.
/// </summary>
public sealed class OnlineCheckout(StripeGateway stripe, CheckoutStore store, MembershipStore memberships, CustomerStore customers, IGrainFactory grains)
{
    /// <summary>
    /// A session for one period of a membership product. PAYMENTS_DISABLED without Stripe; NOT_FOUND for a product of another
    /// venue; CONFLICT for an archived one or the key reused for another purchase; BAD_USER_INPUT for a free product (bought
    /// at the counter); VENUE_NOT_CONNECTED when the venue has no Stripe account.
    /// </summary>
    public async Task<CheckoutSession> StartMembershipAsync(EmailAddress customer, IdempotencyKey key, VenueId venue, MembershipProductId productId,
        CancellationToken cancellationToken = default)
    {
        stripe.RequireClient();
        if (await ExistingAsync(key, cancellationToken) is { } earlier)
        {
            return earlier.Kind == CheckoutKind.Membership && earlier.Product == productId && earlier.Venue == venue ? earlier : throw Reused();
        }

        var product = await memberships.FindProductAsync(productId, cancellationToken);
        if (product is null || product.Venue != venue)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such membership product at this venue.");
        }

        if (product.Archived)
        {
            throw new DomainException(ErrorCodes.Conflict, "This membership product is archived.");
        }

        if (product.Price <= 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A free membership is given at the counter, not paid online.");
        }

        var account = await store.FindVenueAccountAsync(venue, cancellationToken)
            ?? throw new DomainException(ErrorCodes.VenueNotConnected, "This venue takes no online payment yet.");
        var wallet = await customers.EnsureUserWalletAsync(customer, cancellationToken);
        var view = await stripe.CreateSessionAsync(new CheckoutCharge(product.Name, product.Price, customer, CheckoutKind.Membership, product.Id.ToString()),
            account, key.Value, cancellationToken);
        return await store.InsertAsync(key.Value, new CheckoutSession(view.Id, CheckoutKind.Membership, customer, wallet, venue, account, product.Id, product.Price,
            stripe.Currency, CheckoutStatus.Open, view.Url, null, DateTimeOffset.UtcNow, null), cancellationToken);
    }

    /// <summary>A session buying <paramref name="amount"/> cents of FED on the platform's account. PAYMENTS_DISABLED without Stripe.</summary>
    public async Task<CheckoutSession> StartFedTopUpAsync(EmailAddress customer, IdempotencyKey key, long amount, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(amount);
        stripe.RequireClient();
        if (await ExistingAsync(key, cancellationToken) is { } earlier)
        {
            return earlier.Kind == CheckoutKind.FedTopUp && earlier.Amount == amount ? earlier : throw Reused();
        }

        var wallet = await customers.EnsureUserWalletAsync(customer, cancellationToken);
        var view = await stripe.CreateSessionAsync(new CheckoutCharge("TiBillet FED", amount, customer, CheckoutKind.FedTopUp, wallet.ToString()), null, key.Value, cancellationToken);
        return await store.InsertAsync(key.Value, new CheckoutSession(view.Id, CheckoutKind.FedTopUp, customer, wallet, null, null, null, amount,
            stripe.Currency, CheckoutStatus.Open, view.Url, null, DateTimeOffset.UtcNow, null), cancellationToken);
    }

    /// <summary>
    /// A session paying the customer's held reservation, charged directly on the event venue's connected account. One
    /// session per reservation: starting again (any key) returns it. PAYMENTS_DISABLED without Stripe; NOT_FOUND for
    /// another customer's reservation; HOLD_EXPIRED once its hold ran out; CONFLICT when it is confirmed or cancelled
    /// already, or the key was used for another purchase; BAD_USER_INPUT for a free one (confirmed by its e-mailed link);
    /// VENUE_NOT_CONNECTED when the venue has no Stripe account.
    /// </summary>
    public async Task<CheckoutSession> StartReservationAsync(EmailAddress customer, IdempotencyKey key, EventId eventId, Guid reservationId,
        CancellationToken cancellationToken = default)
    {
        stripe.RequireClient();
        if (await ExistingAsync(key, cancellationToken) is { } earlier)
        {
            return earlier.Kind == CheckoutKind.Ticket && earlier.Reservation == reservationId ? earlier : throw Reused();
        }

        var evt = grains.GetEvent(eventId);
        var details = await evt.FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");
        var reservation = await evt.FindReservationAsync(reservationId, customer, cancellationToken)
                          ?? throw new DomainException(ErrorCodes.NotFound, "No such reservation.");
        if (await store.FindByReservationAsync(reservationId, cancellationToken) is { } started)
        {
            return started;
        }

        OnlineTickets.RequirePayable(reservation, DateTimeOffset.UtcNow);
        var account = await store.FindVenueAccountAsync(details.Venue, cancellationToken)
            ?? throw new DomainException(ErrorCodes.VenueNotConnected, "This venue takes no online payment yet.");
        var wallet = await customers.EnsureUserWalletAsync(customer, cancellationToken);
        // Stripe's key is the reservation's, so two starts with different keys get one Stripe session between them.
        var view = await stripe.CreateSessionAsync(
            new CheckoutCharge(OnlineTickets.Label(details.Definition, reservation), reservation.Total, customer, CheckoutKind.Ticket, reservationId.ToString()),
            account, OnlineTickets.StripeKey(reservationId), cancellationToken);
        return await store.InsertAsync(key.Value, new CheckoutSession(view.Id, CheckoutKind.Ticket, customer, wallet, details.Venue, account, null, reservation.Total,
            stripe.Currency, CheckoutStatus.Open, view.Url, null, DateTimeOffset.UtcNow, null, eventId, reservationId), cancellationToken);
    }

    /// <summary>
    /// The customer's return from Stripe: reads the session from Stripe (on the account it was made on) and completes it if
    /// paid. NOT_FOUND for a session that is not this customer's.
    /// </summary>
    public async Task<CheckoutSession> CompleteAsync(EmailAddress customer, string sessionId, CancellationToken cancellationToken = default)
    {
        stripe.RequireClient();
        var session = await store.FindAsync(sessionId, cancellationToken);
        if (session is null || session.Customer != customer)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such checkout session.");
        }

        return await CompleteAsync(session, cancellationToken);
    }

    /// <summary>
    /// The browser's return on <c>GET /stripe/return?session_id=…</c>, with no sign-in: safe, because it only applies what
    /// Stripe itself says of the session. NOT_FOUND for a session we did not create.
    /// </summary>
    public async Task<CheckoutSession> CompleteFromReturnAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        stripe.RequireClient();
        var session = await store.FindAsync(sessionId, cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such checkout session.");
        return await CompleteAsync(session, cancellationToken);
    }

    private async Task<CheckoutSession> CompleteAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var sessionId = session.Id;
        if (session.Status is CheckoutStatus.Completed or CheckoutStatus.Failed or CheckoutStatus.Expired or CheckoutStatus.Refunded)
        {
            return session;
        }

        var view = await stripe.GetSessionAsync(sessionId, session.StripeAccount, cancellationToken);
        return await grains.GetGrain<ICheckoutGrain>(sessionId).ApplyAsync(view, paymentFailed: false, cancellationToken);
    }

    private Task<CheckoutSession?> ExistingAsync(IdempotencyKey key, CancellationToken cancellationToken) => store.FindByClientKeyAsync(key.Value, cancellationToken);

    private static DomainException Reused() => new(ErrorCodes.Conflict, "This idempotency key was used for another checkout.");
}

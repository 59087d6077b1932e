namespace TiBillet.Grains.Common;

/// <summary>
/// The error codes clients see in <c>extensions.code</c>. One list for the whole system; docs/errors.md explains each.
/// </summary>
public static class ErrorCodes
{
    /// <summary>An argument is malformed or out of range (negative amount, bad UID…).</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>No or invalid credentials.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>Authenticated, but not allowed to do this here.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>The thing named does not exist.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The request contradicts current state (duplicate, wrong state, idempotency key reused with another body).</summary>
    public const string Conflict = "CONFLICT";

    /// <summary>A wallet lacks the funds for a debit.</summary>
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";

    /// <summary>A card UID or number that is not registered.</summary>
    public const string UnknownCard = "UNKNOWN_CARD";

    /// <summary>The same idempotency key was sent with a different request.</summary>
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";

    /// <summary>A card's owner or money is touched without proof that the card is present (its printed secret, or a tap at the venue's till).</summary>
    public const string CardProofRequired = "CARD_PROOF_REQUIRED";

    /// <summary>A card-link confirmation token that is unknown or expired.</summary>
    public const string InvalidLinkToken = "INVALID_LINK_TOKEN";

    /// <summary>The cluster or database is temporarily unavailable; retry with the same idempotency key.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The request body exceeds the configured limit.</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";

    /// <summary>The request is not a valid GraphQL-over-HTTP request (bad JSON, missing query…).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The query is nested too deeply or is too complex (the engine's own analyzer code for the same refusal).</summary>
    public const string QueryTooComplex = "COMPLEXITY";

    /// <summary>A WebSocket already runs <c>GraphQLApiOptions:WebSocketMaxOperations</c> operations; complete one first.</summary>
    public const string TooManyOperations = "TOO_MANY_OPERATIONS";

    /// <summary>Too many sign-in attempts (per e-mail or client address), or too many sign-in fields in one request; retry after <c>extensions.retryAfter</c> seconds.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>Not enough seats left for the event's capacity or the price's stock.</summary>
    public const string SoldOut = "SOLD_OUT";

    /// <summary>More seats at a price than one customer may hold.</summary>
    public const string LimitExceeded = "LIMIT_EXCEEDED";

    /// <summary>The event is not open for reservations, or the price's sales window is closed.</summary>
    public const string SalesClosed = "SALES_CLOSED";

    /// <summary>A members-only price asked for by a customer without a valid membership of its product when reserving.</summary>
    public const string MembershipRequired = "MEMBERSHIP_REQUIRED";

    /// <summary>The reservation's hold ran out before it was confirmed.</summary>
    public const string HoldExpired = "HOLD_EXPIRED";

    /// <summary>A ticket of the reservation was already checked in: it can no longer be cancelled.</summary>
    public const string TicketAlreadyScanned = "TICKET_ALREADY_SCANNED";

    /// <summary>A ticket code that does not parse or whose signature is not the venue's.</summary>
    public const string TicketForged = "TICKET_FORGED";

    /// <summary>A genuine ticket of another venue.</summary>
    public const string TicketWrongVenue = "TICKET_WRONG_VENUE";

    /// <summary>A ticket whose reservation or event was cancelled.</summary>
    public const string TicketCancelled = "TICKET_CANCELLED";

    /// <summary>A product of the basket has too little stock left (and may not go below zero).</summary>
    public const string OutOfStock = "OUT_OF_STOCK";

    /// <summary>An order line (or a whole order) is already paid: it is not paid twice, voided or moved without a refund.</summary>
    public const string AlreadyPaid = "ALREADY_PAID";

    /// <summary>A till basket line needs a tapped card (top-up, membership, empty the card, badge) and none was named.</summary>
    public const string CardRequired = "CARD_REQUIRED";

    /// <summary>A till basket mixes product behaviours that are settled differently (a top-up with a sale, a badge with anything).</summary>
    public const string BasketMixesBehaviours = "BASKET_MIXES_BEHAVIOURS";

    /// <summary>A till line's asset cannot be used here: a top-up of an asset the venue cannot credit, a badge without a badge asset.</summary>
    public const string WrongAsset = "WRONG_ASSET";

    /// <summary>A sale line was voided already (or is itself a void).</summary>
    public const string AlreadyVoided = "ALREADY_VOIDED";
    /// <summary>Online payment is off on this instance (no Stripe key configured).</summary>
    public const string PaymentsDisabled = "PAYMENTS_DISABLED";

    /// <summary>The venue has no Stripe connected account set by its ADMIN, so it cannot be paid online.</summary>
    public const string VenueNotConnected = "VENUE_NOT_CONNECTED";

    /// <summary>An online refund asks for more FED than the customer's Stripe payments can give back (the FED came another way).</summary>
    public const string NoStripePayment = "NO_STRIPE_PAYMENT";

    /// <summary>Stripe refused a request (its answer is logged, not shown).</summary>
    public const string PaymentProviderError = "PAYMENT_PROVIDER_ERROR";

    /// <summary>An unexpected failure; details are in the server log only.</summary>
    public const string Internal = "INTERNAL";

    /// <summary>A refund out of a venue's wallet that no longer holds the money (paid out since); nothing was written.</summary>
    public const string VenueInsufficientFunds = "VENUE_INSUFFICIENT_FUNDS";
}

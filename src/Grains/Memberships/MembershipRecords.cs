using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Memberships;

/// <summary>A membership product's id.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipProductId")]
public readonly record struct MembershipProductId([property: Id(0)] Guid Value)
{
    public static MembershipProductId New() => new(Guid.CreateVersion7());

    /// <summary>Parses a product id; BAD_USER_INPUT when malformed.</summary>
    public static MembershipProductId Parse(string? value) =>
        Guid.TryParse(value, out var g) && g != Guid.Empty ? new(g) : throw new DomainException(ErrorCodes.BadUserInput, "A membership product id is a UUID.");

    public override string ToString() => Value.ToString();
}

/// <summary>
/// A membership a venue sells: <see cref="Price"/> cents for one period of <see cref="Duration"/>. Calendar units follow
/// <see cref="TimeZone"/> (the venue's, an IANA id). With <see cref="RequiresValidation"/>, a purchase counts only once
/// a venue ADMIN validated it.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipProduct")]
public sealed record MembershipProduct(
    MembershipProductId Id,
    VenueId Venue,
    string Name,
    MembershipDuration Duration,
    long Price,
    bool RequiresValidation,
    string TimeZone,
    bool Archived,
    DateTimeOffset CreatedAt);

/// <summary>How a membership was paid. Stored as smallint: values are frozen.</summary>
public enum MembershipChannel : short
{
    /// <summary>At a counter, from the card's wallet (a sale in the ledger).</summary>
    Wallet = 0,

    /// <summary>At a counter, in cash (no ledger movement).</summary>
    Cash = 1,

    /// <summary>At a counter, by bank card (no ledger movement).</summary>
    BankCard = 2,

    /// <summary>Online, by a Stripe Checkout session on the venue's connected account.</summary>
    Online = 3,
}

/// <summary>
/// One purchase row: the stored fact validity is computed from. <see cref="Holder"/> is the wallet the membership belongs
/// to (the card's paying wallet, or the customer's); a card's own wallet keeps counting for its owner once linked.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipPurchase")]
public sealed record MembershipPurchase(
    Guid Id,
    MembershipProductId Product,
    VenueId Venue,
    WalletId Holder,
    CardUid? Card,
    MembershipChannel Channel,
    long Amount,
    Guid? OperationId,
    string? CheckoutSession,
    MembershipPeriod Period,
    DateTimeOffset PurchasedAt,
    DateTimeOffset? ValidatedAt);

/// <summary>A purchase at a venue's counter, for the card read there, by a cashier card of the venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.CounterMembershipRequest")]
public sealed record CounterMembershipRequest(IdempotencyKey Key, MembershipProductId Product, CardUid Cashier, CardUid Card, MembershipChannel Channel);

/// <summary>A purchase sold at a till for <see cref="Card"/>: paid by the till's operation <see cref="Operation"/> through <see cref="Channel"/>.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.TillMembershipRequest")]
public sealed record TillMembershipRequest(IdempotencyKey Key, MembershipProductId Product, CardUid Card, MembershipChannel Channel, long Amount, Guid? Operation);

/// <summary>A purchase paid online: <see cref="CheckoutSession"/> is the Stripe session that paid <see cref="Amount"/>.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.OnlineMembershipRequest")]
public sealed record OnlineMembershipRequest(IdempotencyKey Key, MembershipProductId Product, string CheckoutSession, long Amount);

/// <summary>
/// The answer to a counter purchase. Approved: <see cref="Purchase"/> was stored. Declined: the card's wallet could not
/// pay (<see cref="Reason"/>, <see cref="Shortfall"/>), nothing was written.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipPurchaseResult")]
public sealed record MembershipPurchaseResult(bool Approved, DeclineReason Reason, long Shortfall, MembershipPurchase? Purchase);

/// <summary>Where a holder stands with a membership: none bought, valid, expired, or bought and awaiting an admin.</summary>
public enum MembershipState
{
    None = 0,
    Valid = 1,
    Expired = 2,
    Pending = 3,
}

/// <summary>A holder's standing with one product.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipProductStatus")]
public sealed record MembershipProductStatus(
    MembershipProductId Product,
    string Name,
    MembershipState State,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? ExpiredSince,
    bool Lifetime);

/// <summary>
/// A holder's standing at a venue, computed from the purchase rows when asked: valid (until <see cref="ValidUntil"/>,
/// or for life), expired (since <see cref="ExpiredSince"/>), pending an admin's validation, or none.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipStatus")]
public sealed record MembershipStatus(
    VenueId Venue,
    MembershipState State,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? ExpiredSince,
    bool Lifetime,
    ImmutableArray<MembershipProductStatus> Products)
{
    public static MembershipStatus None(VenueId venue) => new(venue, MembershipState.None, null, null, false, []);

    /// <summary>The venue-wide standing from the per-product ones: valid if any is; else pending, else expired, else none.</summary>
    public static MembershipStatus Of(VenueId venue, ImmutableArray<MembershipProductStatus> products)
    {
        var valid = products.Where(p => p.State == MembershipState.Valid).ToList();
        if (valid.Count > 0)
        {
            var lifetime = valid.Any(p => p.Lifetime);
            return new(venue, MembershipState.Valid, lifetime ? null : valid.Max(p => p.ValidUntil), null, lifetime, products);
        }

        if (products.Any(p => p.State == MembershipState.Pending))
        {
            return new(venue, MembershipState.Pending, null, null, false, products);
        }

        var expired = products.Where(p => p.State == MembershipState.Expired).ToList();
        return expired.Count > 0
            ? new(venue, MembershipState.Expired, null, expired.Max(p => p.ExpiredSince), false, products)
            : new(venue, MembershipState.None, null, null, false, products);
    }
}

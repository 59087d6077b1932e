using TiBillet.Grains.Common;

namespace TiBillet.Grains.Memberships;

/// <summary>
/// The single writer of one holder's membership purchases at one venue (key: the holder's wallet id and the venue id), so
/// two renewals never both extend from the same end. Purchases are idempotent by key: the same key returns the first
/// purchase and pays nothing more.
/// </summary>
[Alias("TiBillet.Grains.Memberships.IMembershipGrain")]
public interface IMembershipGrain : IGrainWithGuidCompoundKey
{
    /// <summary>
    /// A purchase at the venue's counter. From the card's wallet, the price is a sale in the ledger (declined as data when
    /// the card cannot pay; nothing stored); in cash or by bank card nothing moves in the ledger. NOT_FOUND for a product
    /// of another venue or none; CONFLICT for an archived product, or the key reused for another purchase; FORBIDDEN
    /// unless the cashier card is a cashier of the venue.
    /// </summary>
    [Alias("BuyAtCounterAsync")]
    Task<MembershipPurchaseResult> BuyAtCounterAsync(CounterMembershipRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a purchase sold at a till (a basket line of a membership product, already paid through <c>sell</c>): it
    /// extends from the current end, or from now once lapsed, exactly as a counter purchase. Idempotent by key; NOT_FOUND
    /// for a product of another venue.
    /// </summary>
    [Alias("RecordAtTillAsync")]
    Task<MembershipPurchase> RecordAtTillAsync(TillMembershipRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records a purchase paid online (called once the Stripe session is paid). Idempotent by key.</summary>
    [Alias("RecordOnlineAsync")]
    Task<MembershipPurchase> RecordOnlineAsync(OnlineMembershipRequest request, CancellationToken cancellationToken = default);
}

public static class MembershipGrainFactoryExtensions
{
    /// <summary>The membership writer of <paramref name="holder"/> at <paramref name="venue"/>.</summary>
    public static IMembershipGrain GetMembership(this IGrainFactory grains, WalletId holder, VenueId venue) =>
        grains.GetGrain<IMembershipGrain>(holder.Value, venue.Value);
}

using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Memberships;

/// <summary>
/// Reads membership standing from the purchase rows, for the API, the tills and other capabilities (member-only prices of
/// events). Every answer is computed when asked; nothing is cached.
/// </summary>
public interface IMembershipChecker
{
    /// <summary>The standing at <paramref name="venue"/> of the holder a card belongs to (its owner once linked). UNKNOWN_CARD for an unregistered card.</summary>
    Task<MembershipStatus> ForCardAsync(VenueId venue, CardUid card, CancellationToken cancellationToken = default);

    /// <summary>The standing at <paramref name="venue"/> of the holder of <paramref name="wallet"/> (a user or card wallet).</summary>
    Task<MembershipStatus> ForWalletAsync(VenueId venue, WalletId wallet, CancellationToken cancellationToken = default);

    /// <summary>Whether the holder of <paramref name="wallet"/> holds a valid membership of <paramref name="venue"/> now (member prices).</summary>
    Task<bool> IsMemberAsync(VenueId venue, WalletId wallet, CancellationToken cancellationToken = default);
}

/// <summary>The <see cref="IMembershipChecker"/> over <see cref="MembershipStore"/>. Thread-safe; one per silo.</summary>
public sealed class MembershipChecker(MembershipStore store, CardStore cards, TimeProvider clock) : IMembershipChecker
{
    public async Task<MembershipStatus> ForCardAsync(VenueId venue, CardUid card, CancellationToken cancellationToken = default)
    {
        var row = await cards.FindByUidAsync(card, cancellationToken) ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
        return await ForWalletAsync(venue, HolderOf(row), cancellationToken);
    }

    public async Task<MembershipStatus> ForWalletAsync(VenueId venue, WalletId wallet, CancellationToken cancellationToken = default) =>
        MembershipStatus.Of(venue, await store.StatusAsync(venue, wallet, clock.GetUtcNow(), cancellationToken));

    public async Task<bool> IsMemberAsync(VenueId venue, WalletId wallet, CancellationToken cancellationToken = default) =>
        (await ForWalletAsync(venue, wallet, cancellationToken)).State == MembershipState.Valid;

    /// <summary>Whose memberships a card shows: its owner's once linked (lost included), else its own wallet's.</summary>
    public static WalletId HolderOf(CardRow card) => card.UserWallet ?? card.CardWallet;
}

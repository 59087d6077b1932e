using TiBillet.Grains.Common;

namespace TiBillet.Grains.Cards;

/// <summary>
/// A card as its wallets read it from the cards table before each sale: its own wallet, the user wallet it is linked to,
/// the wallet it pays from (null when lost or blocked; <see cref="Blocked"/> says which), and the user wallet a link
/// still has to fuse into (<see cref="PendingFusionInto"/>, set while <c>fusion_pending</c>).
/// </summary>
public sealed record CardLink(CardUid Uid, WalletId CardWallet, WalletId? UserWallet, WalletId? ActiveWallet, bool Blocked, WalletId? PendingFusionInto);

/// <summary>
/// The narrow read the Cards capability offers the others: which wallet a card pays from. Its one owner is the card's row
/// (written only by the card grain); readers never keep what they read, except a card's own wallet, fixed at registration.
/// </summary>
public interface ICardLinks
{
    /// <summary>The card's link as the cards table holds it now, or null for an unknown card.</summary>
    Task<CardLink?> FindLinkAsync(CardUid card, CancellationToken cancellationToken = default);

    /// <summary>The card's own wallet (fixed at registration, so callers may keep it), or null for an unknown card.</summary>
    Task<WalletId?> FindCardWalletAsync(CardUid card, CancellationToken cancellationToken = default);
}

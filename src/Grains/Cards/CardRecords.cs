using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>A card's life: blank (never used), anonymous (its own wallet), identified (a user's wallet), lost. Stored as smallint; values frozen.</summary>
public enum CardState
{
    Blank = 0,
    Anonymous = 1,
    Identified = 2,
    Lost = 3,
}

/// <summary>
/// A card as registered. <see cref="Wallet"/> is the wallet it pays from: its own while blank or anonymous, the user's when
/// identified, null when lost or blocked. <see cref="CashierAt"/>: venues where it is a cashier (primary) card.
/// <see cref="BlockedBy"/>: the venue whose staff blocked it (it pays nothing anywhere meanwhile), with their reason.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardDetails")]
public sealed record CardDetails(
    CardUid Uid,
    CardNumber Number,
    string QrId,
    string? Batch,
    CardState State,
    WalletId? Wallet,
    ImmutableArray<VenueId> CashierAt,
    DateTimeOffset RegisteredAt,
    VenueId? BlockedBy = null,
    string? BlockedReason = null);

/// <summary>
/// The signed-in owner of <see cref="Email"/> links the card whose printed secret (<see cref="QrId"/>) they hold: both
/// proofs at once, so the card's wallet is fused into the user's wallet at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.OwnerLinkRequest")]
public sealed record OwnerLinkRequest(IdempotencyKey Key, EmailAddress Email, string QrId);

/// <summary>
/// A cashier of <see cref="Venue"/> starts linking the card shown at the counter to <see cref="Email"/>: a confirmation
/// token is mailed to that address, and nothing moves until it comes back. <see cref="Key"/> becomes the fusion's key.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.StartCardLinkRequest")]
public sealed record StartCardLinkRequest(IdempotencyKey Key, VenueId Venue, EmailAddress Email);

/// <summary>A pending link: which card, where it was started, until when the mailed token is valid. The token itself is only in the mail.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardLinkStarted")]
public sealed record CardLinkStarted(CardUid Uid, VenueId Venue, DateTimeOffset ExpiresAt, bool Confirmed);

/// <summary>
/// The mailed token of a pending link, brought back by the owner of the address; <see cref="SignedIn"/> is the e-mail of a
/// signed-in customer bringing it (it must be the link's), or null for an anonymous caller.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.ConfirmCardLinkRequest")]
public sealed record ConfirmCardLinkRequest(string Token, EmailAddress? SignedIn);

/// <summary>A venue's staff block a card: it pays nothing anywhere; its money is not moved.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.BlockCardRequest")]
public sealed record BlockCardRequest(VenueId Venue, string Reason);

/// <summary>
/// How a card was shown at a counter: <see cref="Tapped"/> on a reader of the venue's till (the caller is that till's
/// device), or its printed secret <see cref="QrId"/> typed or scanned. Money operations that need the card present refuse
/// without one (CARD_PROOF_REQUIRED).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardPresence")]
public sealed record CardPresence(bool Tapped, string? QrId)
{
    /// <summary>The card was read by a reader of the venue's till.</summary>
    public static readonly CardPresence Tap = new(true, null);

    /// <summary>The card's printed secret was given.</summary>
    public static CardPresence Secret(string qrId) => new(false, qrId);
}

/// <summary>The linked card, the user's wallet and what the fusion moved into it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.LinkCardResult")]
public sealed record LinkCardResult(CardDetails Card, WalletId UserWallet, ImmutableArray<AssetMovement> Moved);

/// <summary>One card to register, as typed or read from a file (parsed and checked by the registry).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.NewCard")]
public sealed record NewCard(string Uid, string Number, string QrId);

/// <summary>A batch of cards to register.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.RegisterCardsRequest")]
public sealed record RegisterCardsRequest(string? Batch, ImmutableArray<NewCard> Cards);

/// <summary>Why one line (1-based, as in the file or the list) was not registered.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardImportError")]
public sealed record CardImportError(int Line, string Code, string Message);

/// <summary>
/// What an import did: <see cref="Registered"/> new cards, <see cref="AlreadyRegistered"/> identical ones found (a re-import
/// changes nothing), and one error per refused line. Bad lines never block good ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardImportReport")]
public sealed record CardImportReport(int Received, int Registered, int AlreadyRegistered, ImmutableArray<CardImportError> Errors);

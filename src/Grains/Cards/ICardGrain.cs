using Orleans.Concurrency;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// One NFC card, keyed by its <see cref="CardUid"/> (upper-case hex). Owns the card's state transitions and cashier rights,
/// and resolves the wallet of its money operations, handing them to that wallet's <see cref="IWalletGrain"/>, which
/// applies the idempotency rules (same key → first result; same key, other request → CONFLICT). It is the door of a
/// two-card sale; a one-card sale has its door at the card's own wallet (<see cref="IWalletGrain.PayWithCardAsync"/>).
/// UNKNOWN_CARD for a card that is not registered. A lost or blocked card's money operations are declined (CardLost,
/// CardBlocked), not errors.
/// </summary>
[Alias("TiBillet.Grains.Cards.ICardGrain")]
public interface ICardGrain : IGrainWithStringKey
{
    /// <summary>The card. UNKNOWN_CARD if not registered. Always interleaves: it only reads, and two cards paying for each other must not wait on each other.</summary>
    [Alias("GetDetailsAsync"), AlwaysInterleave]
    Task<CardDetails> GetDetailsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The one door of a two-card sale: this card pays first, the second card (<see cref="SaleRequest.ComplementCard"/>,
    /// of another wallet) the remainder, all or nothing. Both cards are read from the cards table; the two wallets settle
    /// it (<see cref="IWalletGrain.SettleJointPaymentAsync"/>). Declined (CardLost, CardBlocked, ComplementCardLost,
    /// InsufficientFunds) as a result. BAD_USER_INPUT for a request without a second-card complement (one-card sales are
    /// paid at <see cref="IWalletGrain.PayWithCardAsync"/>), or when the second card is this card or shares its wallet;
    /// UNKNOWN_CARD for an unknown second card.
    /// </summary>
    [Alias("PayAsync")]
    Task<PaymentResult> PayWithSecondCardAsync(SaleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Tops the card up at a counter (see <see cref="IWalletGrain.RefillAsync"/>). A blank card becomes anonymous.</summary>
    [Alias("RefillAsync")]
    Task<MovementResult> RefillAsync(RefillRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refund (with amount) or void (without) at a counter (see <see cref="IWalletGrain.RefundAsync"/>). CARD_PROOF_REQUIRED
    /// unless <see cref="RefundRequest.Presence"/> shows the card present (a tap at the till, or its printed secret).
    /// </summary>
    [Alias("RefundAsync")]
    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records a badge event (see <see cref="IWalletGrain.BadgeAsync"/>).</summary>
    [Alias("BadgeAsync")]
    Task<MovementResult> BadgeAsync(BadgeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The balances of the wallet the card pays from (only the assets <paramref name="seenBy"/> accepts, when given).
    /// CONFLICT for a lost card.
    /// </summary>
    [Alias("GetBalancesAsync")]
    Task<WalletDetails> GetBalancesAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The signed-in owner of <see cref="OwnerLinkRequest.Email"/> links this card, proving it with its printed secret: the
    /// card becomes identified and its wallet's balances are fused into the user's wallet, also when that wallet already has
    /// other cards (the owner adds a card, e.g. after declaring one lost). Idempotent by key (same e-mail again finishes an
    /// interrupted fusion). CARD_PROOF_REQUIRED for a wrong secret; CONFLICT when the card is lost, blocked or linked to
    /// another e-mail.
    /// </summary>
    [Alias("LinkToOwnerAsync")]
    Task<LinkCardResult> LinkToOwnerAsync(OwnerLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts linking the card shown at a venue's counter to an e-mail: mails a confirmation token to that address (valid
    /// <see cref="CardGrain.LinkTokenLifetime"/>) and moves nothing. The same key again mails a fresh token. NOT_FOUND for
    /// an unknown venue; CONFLICT when the card is already linked, lost or blocked, when the user's wallet already has a
    /// card (linked or lost) and a balance, or for a key used by another request.
    /// </summary>
    [Alias("StartLinkAsync")]
    Task<CardLinkStarted> StartLinkAsync(StartCardLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a link started at a counter with the token mailed for it: links and fuses as <see cref="LinkToOwnerAsync"/>
    /// under the key the link was started with. Bringing the token again answers as the first time. INVALID_LINK_TOKEN for an
    /// unknown or expired token; FORBIDDEN when a signed-in customer of another e-mail brings it; CONFLICT as for a link
    /// (an anonymous confirmation also when the user's wallet already has a card and a balance).
    /// </summary>
    [Alias("ConfirmLinkAsync")]
    Task<LinkCardResult> ConfirmLinkAsync(ConfirmCardLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declared lost by its owner (the signed-in customer whose wallet the card is linked to): it is detached and pays
    /// nothing more; the balance stays with the user, who can link a new card. Idempotent. FORBIDDEN for anyone else and for
    /// a card that was never linked.
    /// </summary>
    [Alias("DeclareLostAsync")]
    Task<CardDetails> DeclareLostAsync(EmailAddress owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Blocked by a venue's staff: the card pays nothing anywhere (declines CardBlocked) and its money is not moved. Idempotent
    /// for the same venue. BAD_USER_INPUT for a reason that is not 1–500 printable characters; CONFLICT when another venue
    /// blocked it already.
    /// </summary>
    [Alias("BlockAsync")]
    Task<CardDetails> BlockAsync(BlockCardRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lifts the block (idempotent). FORBIDDEN unless <paramref name="venue"/> is the venue that blocked it.</summary>
    [Alias("UnblockAsync")]
    Task<CardDetails> UnblockAsync(VenueId venue, CancellationToken cancellationToken = default);

    /// <summary>Makes the card a cashier (primary) card of the venue. Idempotent. NOT_FOUND for an unknown venue; CONFLICT for a lost card.</summary>
    [Alias("GrantCashierAsync")]
    Task<CardDetails> GrantCashierAsync(VenueId venue, CancellationToken cancellationToken = default);

    /// <summary>Revokes the card's cashier rights at this venue only; other venues keep theirs. Idempotent.</summary>
    [Alias("RevokeCashierAsync")]
    Task<CardDetails> RevokeCashierAsync(VenueId venue, CancellationToken cancellationToken = default);

    /// <summary>Whether the card may open the till of the venue (false when lost or unknown). Always interleaves: read-only, called from wallet grains mid-operation.</summary>
    [Alias("IsCashierAtAsync"), AlwaysInterleave]
    Task<bool> IsCashierAtAsync(VenueId venue, CancellationToken cancellationToken = default);
}

/// <summary>
/// Registers cards in bulk (SQL, not one grain call per card). Stateless: any silo serves it.
/// </summary>
[Alias("TiBillet.Grains.Cards.ICardRegistryGrain")]
public interface ICardRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers a batch. Each card is checked alone (UID 4 or 7 bytes hex, 8-character number, QR id 1–100 characters);
    /// a bad or conflicting card is reported by its 1-based position and never blocks the others. Re-registering an identical
    /// card is counted as already registered. BAD_USER_INPUT for more than 50,000 cards.
    /// </summary>
    [Alias("RegisterAsync")]
    Task<CardImportReport> RegisterAsync(RegisterCardsRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports CSV text: one card per line as <c>uid,number,qr_id</c> (',' or ';', optional header line, optional quotes).
    /// Errors carry the file's line number. Same guarantees as <see cref="RegisterAsync"/>.
    /// </summary>
    [Alias("ImportCsvAsync")]
    Task<CardImportReport> ImportCsvAsync(string csv, string? batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a counter link with its mailed token (see <see cref="ICardGrain.ConfirmLinkAsync"/>), on the card the token
    /// was issued for. INVALID_LINK_TOKEN for an unknown token.
    /// </summary>
    [Alias("ConfirmLinkAsync")]
    Task<LinkCardResult> ConfirmLinkAsync(ConfirmCardLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>The user wallet known by this e-mail (made when a card is first linked to it), or null.</summary>
    [Alias("FindUserWalletAsync")]
    Task<WalletId?> FindUserWalletAsync(EmailAddress email, CancellationToken cancellationToken = default);
}

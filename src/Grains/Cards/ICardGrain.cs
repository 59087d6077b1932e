using Orleans.Concurrency;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// One NFC card, keyed by its <see cref="CardUid"/> (upper-case hex). Owns the card's state transitions and cashier rights,
/// and resolves the wallet of its money operations, handing them to that wallet's <see cref="IWalletGrain"/>, which
/// applies the idempotency rules (same key → first result; same key, other request → CONFLICT). One-card sales from the
/// API and the tills skip this grain (<see cref="CardPayments"/>): the card's own wallet knows what the card grain tells it.
/// UNKNOWN_CARD for a card that is not registered. A lost card's money operations are declined (CardLost), not errors.
/// </summary>
[Alias("TiBillet.Grains.Cards.ICardGrain")]
public interface ICardGrain : IGrainWithStringKey
{
    /// <summary>The card. UNKNOWN_CARD if not registered. Always interleaves: it only reads, and two cards paying for each other must not wait on each other.</summary>
    [Alias("GetDetailsAsync"), AlwaysInterleave]
    Task<CardDetails> GetDetailsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Pays a sale with this card (see <see cref="IWalletGrain.PayAsync"/>), with an optional second card, cash or bank card
    /// for the remainder. Declined (CardLost, ComplementCardLost, InsufficientFunds) as a result. BAD_USER_INPUT when the
    /// second card is this card or shares its wallet; UNKNOWN_CARD for an unknown second card.
    /// </summary>
    [Alias("PayAsync")]
    Task<PaymentResult> PayAsync(SaleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Tops the card up at a counter (see <see cref="IWalletGrain.RefillAsync"/>). A blank card becomes anonymous.</summary>
    [Alias("RefillAsync")]
    Task<MovementResult> RefillAsync(RefillRequest request, CancellationToken cancellationToken = default);

    /// <summary>Refund (with amount) or void (without) at a counter (see <see cref="IWalletGrain.RefundAsync"/>).</summary>
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
    /// Links the card to an e-mail: the card becomes identified and its wallet's balances are fused into the user's wallet.
    /// Idempotent (same e-mail again returns the link, finishing an interrupted fusion). CONFLICT when the card is lost or
    /// linked to another e-mail, or when the user's wallet already has a card and a balance (knowing an e-mail must never
    /// let someone take over a wallet).
    /// </summary>
    [Alias("LinkToEmailAsync")]
    Task<LinkCardResult> LinkToEmailAsync(LinkCardRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declares the card lost: it is detached and pays nothing more; an identified card's balance stays with the user, who
    /// can link a new card. Idempotent.
    /// </summary>
    [Alias("DeclareLostAsync")]
    Task<CardDetails> DeclareLostAsync(CancellationToken cancellationToken = default);

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

    /// <summary>The user wallet known by this e-mail (made when a card is first linked to it), or null.</summary>
    [Alias("FindUserWalletAsync")]
    Task<WalletId?> FindUserWalletAsync(EmailAddress email, CancellationToken cancellationToken = default);
}

using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The single writer of one user or card wallet (docs/architecture.md, money rule 1), keyed by its <see cref="WalletId"/>. Balances live in
/// memory; every debit of the wallet goes through this grain and is answered only after the <c>LedgerWriter</c> committed
/// it (rule 2). Money methods take the client's idempotency key: the same key returns the first result, even across
/// restarts; the same key with a different request throws CONFLICT. Declines are results (nothing is written, so a declined
/// key may be retried). Common errors: NOT_FOUND (unknown wallet, venue or asset), BAD_USER_INPUT (malformed amounts,
/// venue or mint wallets, which have no grain), FORBIDDEN (cashier rights, issuing venue), UNAVAILABLE (ledger down or
/// outcome unknown: retry with the same key).
/// </summary>
[Alias("TiBillet.Grains.Wallets.IWalletGrain")]
public interface IWalletGrain : IGrainWithGuidKey
{
    /// <summary>
    /// The wallet's committed balances, reloaded from the database. With <paramref name="seenBy"/>, only the assets that
    /// venue accepts. NOT_FOUND for an unknown wallet or venue.
    /// </summary>
    [Alias("GetDetailsAsync")]
    Task<WalletDetails> GetDetailsAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The one door of a one-card sale, called on the card's own wallet (its address: <see cref="Cards.CardWallets"/>). It
    /// reads the card's row (never kept): declined CardLost or CardBlocked for a card that pays nothing; paid from this
    /// wallet, or, once the card is identified, handed to the user's wallet through this same door, which reads the row
    /// again. Cascade over the venue's spending order, split across assets; a remainder is paid in cash or by bank card
    /// when named and the card paid something, else the sale declines InsufficientFunds (after reloading once).
    /// FORBIDDEN without a cashier card of the venue; BAD_USER_INPUT for a basket outside <see cref="Basket"/>, for a
    /// wallet that is neither the card's own nor its user's, or for a request naming a second card (two-card sales have
    /// their own door, <see cref="Cards.ICardGrain.PayWithSecondCardAsync"/>).
    /// </summary>
    [Alias("PayWithCardAsync")]
    Task<PaymentResult> PayWithCardAsync(SaleRequest request, CardUid card, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called by the card grain after its card was linked, declared lost or blocked, before it answers. The wallet keeps
    /// nothing of the card (it reads the cards table before each sale); the call only waits for a sale in progress on this
    /// wallet to finish, so no sale approved after the answer started before it.
    /// </summary>
    [Alias("CardChangedAsync")]
    Task CardChangedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The wallets' side of the two-card door (<see cref="Cards.ICardGrain.PayWithSecondCardAsync"/>), not an entry of its
    /// own. Without <paramref name="offer"/>, called by the card grain on the lower-id wallet of the two, which offers its
    /// balances and next sequence number to the higher-id one through this same method (this fixed order cannot
    /// deadlock); with it, the higher-id wallet plans the sale over both, commits it with both sequence numbers and says
    /// how it ended. The outcome's <see cref="JointPaymentOutcome.Result"/> is the sale's answer. BAD_USER_INPUT for a
    /// payment that is not two wallets' or reaches the wrong one of them.
    /// </summary>
    [Alias("SettleJointPaymentAsync")]
    Task<JointPaymentOutcome> SettleJointPaymentAsync(WalletPayment payment, WalletOffer? offer = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A top-up at the venue's counter (cash or bank card) from the asset's mint. FORBIDDEN unless the cashier card is a
    /// cashier of the venue and the venue issues the asset (FED is never refilled at a counter); BAD_USER_INPUT for a
    /// non-positive amount, a means other than cash or bank card, or an asset that is not TLF/TNF; CONFLICT for an archived
    /// asset; NOT_FOUND when the venue has no TLF and no asset was named.
    /// </summary>
    [Alias("RefillAsync")]
    Task<MovementResult> RefillAsync(RefillRequest request, CardUid? card = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A refund (with amount) or void (without) at the venue's counter: only the venue's own TLF/TNF and FED; local assets
    /// are burned to their mint, FED goes to the venue's wallet (owed by the network). Declines InsufficientFunds or
    /// NothingToRefund. FORBIDDEN without a cashier card of the venue.
    /// </summary>
    [Alias("RefundAsync")]
    Task<RefundResult> RefundAsync(RefundRequest request, CardUid? card = null, CancellationToken cancellationToken = default);

    /// <summary>A badge event (amount 0 of the venue's BDG asset). BAD_USER_INPUT unless the asset is an active BDG of the venue.</summary>
    [Alias("BadgeAsync")]
    Task<MovementResult> BadgeAsync(BadgeRequest request, CardUid? card = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Transfers an asset to another user, card or venue wallet. Declines InsufficientFunds. BAD_USER_INPUT for itself, a
    /// mint or a non-positive amount; NOT_FOUND for an unknown target or asset.
    /// </summary>
    [Alias("TransferAsync")]
    Task<MovementResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every balance of this wallet into the user wallet <see cref="FusionRequest.Target"/> (used when a card is
    /// linked to an e-mail). Approved with no movement when the wallet is empty. BAD_USER_INPUT unless the target is a user wallet.
    /// </summary>
    [Alias("FuseIntoAsync")]
    Task<MovementResult> FuseIntoAsync(FusionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Grants time currency (TIM) from its mint. FORBIDDEN unless the venue issues the asset; BAD_USER_INPUT unless it is TIM.</summary>
    [Alias("GrantTimeAsync")]
    Task<MovementResult> GrantTimeAsync(TimeGrantRequest request, CancellationToken cancellationToken = default);

    /// <summary>Issues money from the asset's mint (creation). NOT_FOUND for an unknown asset; CONFLICT for an archived one.</summary>
    [Alias("IssueAsync")]
    Task<MovementResult> IssueAsync(IssueRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A correction against the asset's mint, credit or debit, with a reason (1 to 500 characters). A debit declines
    /// InsufficientFunds rather than making the wallet negative.
    /// </summary>
    [Alias("CorrectAsync")]
    Task<MovementResult> CorrectAsync(CorrectionRequest request, CancellationToken cancellationToken = default);
    /// <summary>
    /// A sale paid online from this customer wallet (tickets), with no cashier: cascade over the venue's spending order, all
    /// or nothing, ledger kind QR_SALE. Declines InsufficientFunds after reloading once. BAD_USER_INPUT for a card wallet or
    /// a malformed basket.
    /// </summary>
    [Alias("PayOnlineAsync")]
    Task<PaymentResult> PayOnlineAsync(OnlineSaleRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a sale back to this wallet: each movement it paid goes back from the venue's wallet (ledger kind REFUND).
    /// BAD_USER_INPUT unless every movement went from this wallet to that venue.
    /// </summary>
    [Alias("TakeBackSaleAsync")]
    Task<MovementResult> TakeBackSaleAsync(SaleReturnRequest request, CancellationToken cancellationToken = default);
}

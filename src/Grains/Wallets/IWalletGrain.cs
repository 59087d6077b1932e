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
    /// A sale, called on the paying card's wallet, or, for a two-card payment, on the wallet with the lower id (which then
    /// coordinates with the other; this fixed order cannot deadlock). Cascade over the venue's spending order, split across
    /// assets, remainder by the complement; all or nothing. Declines with InsufficientFunds after reloading once.
    /// FORBIDDEN without a cashier card of the venue; BAD_USER_INPUT for an empty or malformed basket or total ≤ 0.
    /// </summary>
    [Alias("PayAsync")]
    Task<PaymentResult> PayAsync(WalletPayment payment, CancellationToken cancellationToken = default);

    /// <summary>
    /// A one-card sale, called on the card's own wallet (see <see cref="Cards.CardPayments"/>): declined CardLost for a lost
    /// card; paid from this wallet, or from the user's wallet once the card is identified, as <see cref="PayAsync"/> does.
    /// BAD_USER_INPUT when this is not <paramref name="card"/>'s own wallet or the request names a second card (two-card
    /// sales start at the card grain).
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
    /// Internal to two-card payments: the higher-id wallet completes a payment offered by the lower-id one, commits it
    /// with both wallets' sequence numbers and tells the offering wallet how it ended. Not for other callers.
    /// </summary>
    [Alias("CompleteJointPaymentAsync")]
    Task<JointPaymentOutcome> CompleteJointPaymentAsync(WalletPayment payment, WalletOffer offer, CancellationToken cancellationToken = default);

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

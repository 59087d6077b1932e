using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>A balance of one asset, in cents.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.AssetBalance")]
public sealed record AssetBalance(AssetId Asset, long Amount);

/// <summary>One movement an operation made: <see cref="Amount"/> cents of <see cref="Asset"/> from one wallet to another.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.AssetMovement")]
public sealed record AssetMovement(AssetId Asset, long Amount, WalletId From, WalletId To);

/// <summary>Why an operation was declined. Declines are answers, not errors: nothing was written.</summary>
public enum DeclineReason
{
    None = 0,

    /// <summary>The card (and complement) cannot cover the amount; see the result's shortfall.</summary>
    InsufficientFunds = 1,

    /// <summary>The card was declared lost.</summary>
    CardLost = 2,

    /// <summary>A refund or void found nothing refundable at this venue.</summary>
    NothingToRefund = 3,

    /// <summary>The complementary card was declared lost or is blocked.</summary>
    ComplementCardLost = 4,

    /// <summary>The card is blocked by a venue's staff: it pays nothing anywhere until that venue lifts the block.</summary>
    CardBlocked = 5,
}

/// <summary>A wallet's balances (all assets, or those a venue accepts when read on behalf of a venue).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.WalletDetails")]
public sealed record WalletDetails(WalletId Id, WalletKind Kind, ImmutableArray<AssetBalance> Balances);

/// <summary>One basket line: <see cref="Quantity"/> × <see cref="UnitPrice"/> cents.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.SaleLine")]
public sealed record SaleLine(string Label, int Quantity, long UnitPrice);

/// <summary>
/// A sale at a venue: the whole basket is one atomic payment. The card pays first (cascade over the venue's spending
/// order); a remainder is paid by <see cref="Complement"/>: a second card (<see cref="ComplementCard"/>, of another
/// wallet), cash or bank card. With no complement, a remainder declines the sale.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.SaleRequest")]
public sealed record SaleRequest(
    IdempotencyKey Key,
    VenueId Venue,
    CardUid Cashier,
    ImmutableArray<SaleLine> Lines,
    PaymentMeans Complement = PaymentMeans.None,
    CardUid? ComplementCard = null,
    Till.TillSale? Till = null)
{
    /// <summary>Whether a second card takes part (or is named): such a sale starts at the card grain, which checks that card.</summary>
    public bool NamesSecondCard => Complement == PaymentMeans.SecondCard || ComplementCard is not null;
}

/// <summary>
/// The answer to a sale. Approved: <see cref="Movements"/> were committed (card, then complement card) and
/// <see cref="PaidExternally"/> is due in <see cref="ExternalMeans"/>. Declined: <see cref="Reason"/> and
/// <see cref="Shortfall"/> say why; nothing was written. <see cref="Balances"/> are the paying card's wallet after the sale.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.PaymentResult")]
public sealed record PaymentResult(
    bool Approved,
    DeclineReason Reason,
    long Total,
    long PaidByCard,
    long PaidByComplementCard,
    long PaidExternally,
    PaymentMeans ExternalMeans,
    long Shortfall,
    ImmutableArray<AssetMovement> Movements,
    ImmutableArray<AssetBalance> Balances,
    Guid? OperationId,
    DateTimeOffset At)
{
    /// <summary>A payment declined before any wallet was looked at (a lost card, a lost second card).</summary>
    public static PaymentResult Declined(DeclineReason reason) =>
        new(false, reason, 0, 0, 0, 0, PaymentMeans.None, 0, [], [], null, DateTimeOffset.UtcNow);
}

/// <summary>A sale as a card hands it to its wallet: the resolved wallets of the paying and complementary cards.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.WalletPayment")]
public sealed record WalletPayment(SaleRequest Sale, CardUid Card, WalletId Primary, WalletId? Complement, CardUid? ComplementCard);

/// <summary>What the lower-id wallet of a two-card payment offers the other: its balances and the sequence number it claims.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.WalletOffer")]
public sealed record WalletOffer(WalletId Wallet, long NextSequence, ImmutableArray<AssetBalance> Balances, bool Reloaded);

/// <summary>How a two-card payment ended, as the coordinating wallet tells the offering one.</summary>
public enum JointPaymentStatus
{
    Committed = 0,
    Declined = 1,
    Replayed = 2,
    RetryAfterReload = 3,
}

/// <summary>The answer of <see cref="IWalletGrain.CompleteJointPaymentAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.JointPaymentOutcome")]
public sealed record JointPaymentOutcome(JointPaymentStatus Status, PaymentResult? Result, ImmutableArray<AssetBalance> OfferingWalletBalances);

/// <summary>
/// A top-up at a counter, paid in cash or by bank card. <see cref="Asset"/> defaults to the venue's active TLF; only the
/// issuing venue refills its own TLF or TNF, and FED is never refilled at a counter. <see cref="Till"/>: a till's top-up
/// product (its time currency too), or a deposit given back onto the card (means None), stored as sale lines with it.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.RefillRequest")]
public sealed record RefillRequest(IdempotencyKey Key, VenueId Venue, CardUid Cashier, long Amount, PaymentMeans Means, AssetId? Asset = null, Till.TillSale? Till = null);

/// <summary>
/// Money given back at a counter. With an <see cref="Amount"/>: a refund of that much cash from the venue's own TLF, then
/// FED. Without: a void that empties the card of everything refundable here (own TLF and TNF burned, FED owed to the venue).
/// <see cref="Presence"/>: how the card was shown at the counter; without it the card refuses (CARD_PROOF_REQUIRED).
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.RefundRequest")]
public sealed record RefundRequest(IdempotencyKey Key, VenueId Venue, CardUid Cashier, long? Amount = null, Cards.CardPresence? Presence = null, Till.TillSale? Till = null);

/// <summary>
/// The answer to a refund or void: <see cref="CashReturned"/> to hand over, <see cref="Burned"/> local money destroyed
/// (TNF burned without cash), <see cref="OwedToVenue"/> FED the network now owes the venue.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.RefundResult")]
public sealed record RefundResult(
    bool Approved,
    DeclineReason Reason,
    long CashReturned,
    long Burned,
    long OwedToVenue,
    ImmutableArray<AssetMovement> Movements,
    ImmutableArray<AssetBalance> Balances,
    Guid? OperationId,
    DateTimeOffset At);

/// <summary>A punch-clock badge event: a movement of 0 of the venue's BDG asset to the venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.BadgeRequest")]
public sealed record BadgeRequest(IdempotencyKey Key, VenueId Venue, AssetId Badge, Till.TillSale? Till = null);

/// <summary>A wallet-to-wallet transfer of one asset.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.TransferRequest")]
public sealed record TransferRequest(IdempotencyKey Key, WalletId To, AssetId Asset, long Amount);

/// <summary>Moves every balance of this (anonymous card) wallet into <see cref="Target"/>, a user wallet.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.FusionRequest")]
public sealed record FusionRequest(IdempotencyKey Key, WalletId Target, CardUid Card);

/// <summary>Time currency granted by its issuing venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.TimeGrantRequest")]
public sealed record TimeGrantRequest(IdempotencyKey Key, VenueId Venue, AssetId Asset, long Amount);

/// <summary>Money issued into this wallet from the asset's mint (an online FED purchase, an administrative creation).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.IssueRequest")]
public sealed record IssueRequest(IdempotencyKey Key, AssetId Asset, long Amount, PaymentMeans Means = PaymentMeans.Online);

/// <summary>
/// A movement between this wallet and the asset's mint, with a reason: an administrative correction, or (with
/// <see cref="Kind"/> <see cref="TransactionKind.OnlineRefund"/>) FED leaving the wallet because it was refunded through Stripe.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.CorrectionRequest")]
public sealed record CorrectionRequest(IdempotencyKey Key, AssetId Asset, long Amount, bool Credit, string Reason, TransactionKind Kind = TransactionKind.Correction);

/// <summary>
/// The answer to a refill, badge, transfer, fusion, time grant, issue or correction. Approved: <see cref="Movements"/> are
/// committed. Declined: <see cref="Reason"/> says why and nothing was written. <see cref="Balances"/>: this wallet after.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.MovementResult")]
public sealed record MovementResult(
    bool Approved,
    DeclineReason Reason,
    TransactionKind Kind,
    ImmutableArray<AssetMovement> Movements,
    ImmutableArray<AssetBalance> Balances,
    Guid? OperationId,
    DateTimeOffset At);

/// <summary>A sale paid online from a customer's wallet (no cashier): the basket is one atomic payment to the venue.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.OnlineSaleRequest")]
public sealed record OnlineSaleRequest(IdempotencyKey Key, VenueId Venue, ImmutableArray<SaleLine> Lines);

/// <summary>
/// A sale given back: each of <see cref="Paid"/> (the sale's movements, this wallet to the venue) moved back. <see cref="Till"/>:
/// the void lines of a till, stored with it.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Wallets.SaleReturnRequest")]
public sealed record SaleReturnRequest(IdempotencyKey Key, VenueId Venue, ImmutableArray<AssetMovement> Paid, Till.TillRows? Till = null);

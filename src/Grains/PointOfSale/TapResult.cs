using System.Collections.Immutable;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// What a tap did, as the reader and the screens show it. A retried tap (same <see cref="TapId"/>) gets this same result.
/// </summary>
/// <param name="Card">The card, or null when the UID read is not a valid UID.</param>
/// <param name="Amount">Cents paid (APPROVED), credited (TOPPED_UP) or asked for (DECLINED); null otherwise.</param>
/// <param name="Balances">The card's balances the venue accepts, after the tap (empty for an unknown card).</param>
/// <param name="DeclineReason">Why a DECLINED tap was declined; None otherwise.</param>
/// <param name="Shortfall">Cents missing when declined for insufficient funds.</param>
/// <param name="CardState">The card's state when known (balance taps).</param>
/// <param name="Transactions">The card's last movements, newest first (balance taps).</param>
/// <param name="RequestId">The pending request this tap served or was declined for.</param>
/// <param name="OperationId">The ledger operation that moved the money.</param>
/// <param name="Door">At a door till: the ticket found (or why none was), null otherwise.</param>
/// <param name="Order">The order a pending order payment was for (paid or declined), null otherwise.</param>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TapResult")]
public sealed record TapResult(
    string TapId,
    PointOfSaleId PointOfSale,
    string ReaderName,
    TapOutcome Outcome,
    string Message,
    CardUid? Card,
    long? Amount,
    ImmutableArray<TapBalance> Balances,
    DeclineReason DeclineReason,
    long Shortfall,
    CardState? CardState,
    ImmutableArray<TapTransaction> Transactions,
    Guid? RequestId,
    Guid? OperationId,
    DateTimeOffset At,
    DoorAdmission? Door = null,
    Guid? Order = null);

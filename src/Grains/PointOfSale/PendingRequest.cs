using System.Collections.Immutable;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// A request waiting for a customer's tap. A payment carries its basket <see cref="Lines"/> and their total in
/// <see cref="Amount"/>; a top-up carries <see cref="Amount"/> and the <see cref="Means"/> the customer paid with
/// (cash or bank card) and no lines. A payment of an order also carries <see cref="Order"/>: its lines are then the order
/// lines (or parts) the tap pays, shown to the screens.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PendingRequest")]
public sealed record PendingRequest(
    Guid Id,
    PendingRequestKind Kind,
    ImmutableArray<SaleLine> Lines,
    long Amount,
    PaymentMeans Means,
    DateTimeOffset RequestedAt,
    PendingOrderPayment? Order = null);

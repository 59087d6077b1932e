using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// One of a card's last movements, shown on a balance tap. <see cref="Amount"/> is signed from the card's side:
/// negative when money left the card's wallet.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TapTransaction")]
public sealed record TapTransaction(long Id, TransactionKind Kind, AssetId Asset, string AssetName, long Amount, VenueId? Venue, DateTimeOffset At);

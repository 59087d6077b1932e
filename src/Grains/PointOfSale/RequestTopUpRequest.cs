using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.PointOfSale;

/// <summary>An amount the next customer tap credits, paid at the counter in <see cref="Means"/> (cash or bank card).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.RequestTopUpRequest")]
public sealed record RequestTopUpRequest(long Amount, PaymentMeans Means);

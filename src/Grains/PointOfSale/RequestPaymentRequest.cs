using System.Collections.Immutable;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

/// <summary>A basket the next customer tap pays. An amount without a basket travels as one line.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.RequestPaymentRequest")]
public sealed record RequestPaymentRequest(ImmutableArray<SaleLine> Lines);

using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The <c>requestTopUp</c> mutation's input.</summary>
public sealed record RequestTopUpInput(string VenueId, string PointOfSaleId, long Amount, PaymentMeans Means);

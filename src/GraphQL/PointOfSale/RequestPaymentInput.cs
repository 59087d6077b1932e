using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The <c>requestPayment</c> mutation's input: a basket, or a bare amount (one of the two).</summary>
public sealed record RequestPaymentInput(string VenueId, string PointOfSaleId, IReadOnlyList<BasketLineInput>? Lines, long? Amount);

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The <c>createPointOfSale</c> mutation's input.</summary>
public sealed record CreatePointOfSaleInput(string VenueId, string PointOfSaleId, string Name, TiBillet.Grains.PointOfSale.PointOfSaleMode? Mode = null);

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>One basket line of a payment request: <see cref="Quantity"/> × <see cref="UnitPrice"/> cents.</summary>
public sealed record BasketLineInput(string Label, int Quantity, long UnitPrice);

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>The <c>tap</c> mutation's input, exactly as the reader agent sends it.</summary>
public sealed record TapInput(string ReaderName, string Uid, string TapId);

namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>blockCard</c> mutation's input.</summary>
public sealed record BlockCardInput(string VenueId, string Uid, string Reason);

namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>unblockCard</c> mutation's input.</summary>
public sealed record UnblockCardInput(string VenueId, string Uid);

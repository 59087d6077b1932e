namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>startCardLink</c> mutation's input.</summary>
public sealed record StartCardLinkInput(string VenueId, string Uid, string Email, string IdempotencyKey);

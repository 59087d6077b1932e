namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>confirmCardLink</c> mutation's input: the token mailed by <c>startCardLink</c>.</summary>
public sealed record ConfirmCardLinkInput(string Token);

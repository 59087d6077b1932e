namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>linkMyCard</c> mutation's input: the printed secret of the card to add to the signed-in customer's wallet.</summary>
public sealed record LinkMyCardInput(string IdempotencyKey, string QrId);

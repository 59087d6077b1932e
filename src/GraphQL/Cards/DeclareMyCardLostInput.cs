namespace TiBillet.GraphQL.Cards;

/// <summary>The <c>declareMyCardLost</c> mutation's input.</summary>
public sealed record DeclareMyCardLostInput(string Uid);

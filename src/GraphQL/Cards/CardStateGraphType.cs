using GraphQL.Types;
using TiBillet.Grains.Cards;

namespace TiBillet.GraphQL.Cards;

public sealed class CardStateGraphType : EnumerationGraphType<CardState>
{
    public CardStateGraphType() => Name = "CardState";
}

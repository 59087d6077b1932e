using GraphQL.Types;
using TiBillet.Grains.Cards;

namespace TiBillet.GraphQL.Cards;

public sealed class CardImportErrorGraphType : ObjectGraphType<CardImportError>
{
    public CardImportErrorGraphType()
    {
        Name = "CardImportError";
        Field(x => x.Line).Description("1-based line (CSV) or position (list) of the refused card.");
        Field(x => x.Code);
        Field(x => x.Message);
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class NewCardInputGraphType : InputObjectGraphType<NewCardInput>
{
    public NewCardInputGraphType()
    {
        Name = "NewCardInput";
        Field(x => x.Uid).Description("4 or 7 bytes of hex.");
        Field(x => x.Number).Description("8 letters or digits.");
        Field(x => x.QrId);
    }
}

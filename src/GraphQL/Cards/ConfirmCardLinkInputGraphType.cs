using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class ConfirmCardLinkInputGraphType : InputObjectGraphType<ConfirmCardLinkInput>
{
    public ConfirmCardLinkInputGraphType()
    {
        Name = "ConfirmCardLinkInput";
        Field<NonNullGraphType<StringGraphType>>("token").Description("The code mailed to the address.");
    }
}

using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class StartCardLinkInputGraphType : InputObjectGraphType<StartCardLinkInput>
{
    public StartCardLinkInputGraphType()
    {
        Name = "StartCardLinkInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<StringGraphType>>("uid").Description("The UID the counter's reader read from the card.");
        Field<NonNullGraphType<StringGraphType>>("email").Description("Where the confirmation is mailed; the card is linked to it once confirmed.");
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Also the fusion's ledger key at confirmation.");
    }
}

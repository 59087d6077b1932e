using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class UnblockCardInputGraphType : InputObjectGraphType<UnblockCardInput>
{
    public UnblockCardInputGraphType()
    {
        Name = "UnblockCardInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Description("The venue that blocked the card.");
        Field<NonNullGraphType<StringGraphType>>("uid");
    }
}

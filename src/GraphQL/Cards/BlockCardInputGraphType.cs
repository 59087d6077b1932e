using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class BlockCardInputGraphType : InputObjectGraphType<BlockCardInput>
{
    public BlockCardInputGraphType()
    {
        Name = "BlockCardInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<StringGraphType>>("uid");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("1 to 500 characters, shown with the card.");
    }
}

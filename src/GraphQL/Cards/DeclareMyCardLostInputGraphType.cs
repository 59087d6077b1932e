using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class DeclareMyCardLostInputGraphType : InputObjectGraphType<DeclareMyCardLostInput>
{
    public DeclareMyCardLostInputGraphType()
    {
        Name = "DeclareMyCardLostInput";
        Field<NonNullGraphType<StringGraphType>>("uid");
    }
}

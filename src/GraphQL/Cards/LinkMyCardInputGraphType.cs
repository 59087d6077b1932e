using GraphQL.Types;

namespace TiBillet.GraphQL.Cards;

public sealed class LinkMyCardInputGraphType : InputObjectGraphType<LinkMyCardInput>
{
    public LinkMyCardInputGraphType()
    {
        Name = "LinkMyCardInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Also the fusion's ledger key.");
        Field<NonNullGraphType<StringGraphType>>("qrId").Description("The secret printed on the card (its QR code).");
    }
}

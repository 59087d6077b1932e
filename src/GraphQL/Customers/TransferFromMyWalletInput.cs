using GraphQL.Types;

namespace TiBillet.GraphQL.Customers;

/// <summary>The <c>transferFromMyWallet</c> mutation's input: give toEmail or toCardUid.</summary>
public sealed record TransferFromMyWalletInput(string IdempotencyKey, string? ToEmail, string? ToCardUid, string AssetId, long Amount);

public sealed class TransferFromMyWalletInputGraphType : InputObjectGraphType<TransferFromMyWalletInput>
{
    public TransferFromMyWalletInputGraphType()
    {
        Name = "TransferFromMyWalletInput";
        Description = "Money sent from the signed-in customer's wallet: to an e-mail's wallet (made if that e-mail has none yet) or to the wallet a card pays from.";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the customer: the same key twice moves money once.");
        Field<StringGraphType>("toEmail");
        Field<StringGraphType>("toCardUid");
        Field<NonNullGraphType<IdGraphType>>("assetId");
        Field<NonNullGraphType<LongGraphType>>("amount").Description("In cents, > 0.");
    }
}

using System.Security.Cryptography;
using System.Text;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Customers;

/// <summary>What a customer does with their own money.</summary>
public sealed class CustomerWalletMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MovementResultGraphType>>("transferFromMyWallet")
            .Description("Sends an amount of one asset from the signed-in customer's wallet to an e-mail's wallet or to a card's, through the wallet's " +
                         "own transfer: declined InsufficientFunds when the wallet lacks it. NOT_FOUND when the customer has no wallet yet, for an " +
                         "unknown asset, or a lost card; UNKNOWN_CARD for an unregistered card; BAD_USER_INPUT unless exactly one of toEmail and toCardUid.")
            .Argument<NonNullGraphType<TransferFromMyWalletInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<TransferFromMyWalletInput>("input");
                var customer = c.Caller().CustomerEmail()!.Value;
                var key = ScopedKey(customer, IdempotencyKey.Parse(input.IdempotencyKey));
                var asset = AssetId.Parse(input.AssetId);
                var own = await c.OwnWalletAsync() ?? throw new DomainException(ErrorCodes.NotFound, "You have no wallet yet: link a card or receive money first.");
                WalletId to;
                if (input is { ToEmail: { } email, ToCardUid: null })
                {
                    to = await c.Service<CustomerStore>().EnsureUserWalletAsync(EmailAddress.Parse(email), c.CancellationToken);
                }
                else if (input is { ToEmail: null, ToCardUid: { } uid })
                {
                    to = (await c.Grains().GetCard(CardUid.Parse(uid)).GetDetailsAsync(c.CancellationToken)).Wallet
                         ?? throw new DomainException(ErrorCodes.NotFound, "This card is lost: it receives nothing.");
                }
                else
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give exactly one of toEmail and toCardUid.");
                }

                return await c.Grains().GetWallet(own).TransferAsync(new TransferRequest(key, to, asset, input.Amount), c.CancellationToken);
            });
    }

    /// <summary>
    /// The ledger's keys are global: prefixing the customer (hashed, so the e-mail is not stored in the key) keeps one
    /// customer's key from ever meeting another's.
    /// </summary>
    public static IdempotencyKey ScopedKey(EmailAddress customer, IdempotencyKey key) =>
        new IdempotencyKey("customer:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(customer.Value)))[..32]).Derive(key.Value);
}

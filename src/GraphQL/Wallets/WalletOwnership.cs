using GraphQL;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Wallets;

/// <summary>Whose wallet the caller is: a signed-in user owns the user wallet of their account's e-mail.</summary>
public static class WalletOwnership
{
    /// <summary>
    /// The caller's own wallet, or null (neither a customer nor a staff user, or no wallet for their e-mail yet). A customer
    /// token proves its e-mail; a staff user owns the wallet of their account's e-mail.
    /// </summary>
    public static async Task<WalletId?> OwnWalletAsync(this IResolveFieldContext context)
    {
        if (context.Caller().CustomerEmail() is { } customer)
        {
            return await context.Grains().GetCardRegistry().FindUserWalletAsync(customer, context.CancellationToken);
        }

        if (context.Caller().StaffUserId() is not { } userId
            || await context.Service<IdentityStore>().FindUserAsync(userId, context.CancellationToken) is not { } user)
        {
            return null;
        }

        return await context.Grains().GetCardRegistry().FindUserWalletAsync(EmailAddress.Parse(user.Email), context.CancellationToken);
    }
}

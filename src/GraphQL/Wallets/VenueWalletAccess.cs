using GraphQL;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Wallets;

/// <summary>
/// Which wallets a venue's staff and devices may read when they name one: customer wallets (user and card wallets, as
/// that venue sees them) and the venue's own wallet and mints. Another venue's wallet or mints (its revenue) and the
/// FED mint are refused: only that venue's staff and the instance admin see them.
/// </summary>
internal static class VenueWalletAccess
{
    /// <summary>Throws FORBIDDEN when <paramref name="wallet"/> belongs to a venue other than <paramref name="venue"/>, or is the FED mint; NOT_FOUND when unknown.</summary>
    public static async Task RequireReadableAtAsync(this IResolveFieldContext context, WalletId wallet, VenueId venue)
    {
        var scope = await context.Service<WalletScopeStore>().FindAsync(wallet, context.CancellationToken)
                    ?? throw new DomainException(ErrorCodes.NotFound, "No such wallet.");
        if (scope.Kind is WalletKind.Venue or WalletKind.Mint && scope.Venue != venue)
        {
            throw new DomainException(ErrorCodes.Forbidden, "This wallet belongs to another venue (or is the FED mint): only its venue's staff and the instance admin read it.");
        }
    }
}

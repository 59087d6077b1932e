using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Wallets;

public sealed class WalletQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<WalletGraphType>>("wallet")
            .Description("A wallet's balances. With venueId (venue VIEWER, or a device of the venue), only the assets that venue accepts, " +
                         "of a customer wallet or of this venue's own wallet or mints (another venue's wallet and the FED mint: FORBIDDEN); " +
                         "without, every asset (instance admin, or the wallet's owner: the user whose e-mail it belongs to). Give the wallet id or a card UID.")
            .Argument<IdGraphType>("id")
            .Argument<StringGraphType>("cardUid")
            .Argument<IdGraphType>("venueId")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c =>
            {
                var venueArg = c.GetArgument<string?>("venueId");
                VenueId? venue = venueArg is null ? null : VenueId.Parse(venueArg);
                var id = c.GetArgument<string?>("id");
                var cardArg = c.GetArgument<string?>("cardUid");
                if ((id is null) == (cardArg is null))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give exactly one of id or cardUid.");
                }

                WalletId? wallet = id is null ? null : WalletId.Parse(id);
                CardUid? card = cardArg is null ? null : CardUid.Parse(cardArg);
                if (venue is { } v)
                {
                    if (c.Caller().IsKind(TiBilletClaims.DeviceKind))
                    {
                        VenueAccess.RequireDeviceOf(c.Caller(), v.Value);
                    }
                    else
                    {
                        await c.RequireVenueRoleAsync(v, VenueRole.Viewer);
                    }

                    if (wallet is { } named && !c.Caller().IsInstanceAdmin())
                    {
                        await c.RequireReadableAtAsync(named, v);
                    }
                }
                else if (!c.Caller().IsInstanceAdmin())
                {
                    // Someone who owns no wallet learns nothing, not even whether the card exists.
                    var own = await c.OwnWalletAsync();
                    if (own is null || own != (wallet ?? (await c.Grains().GetCard(card!.Value).GetDetailsAsync(c.CancellationToken)).Wallet))
                    {
                        throw new DomainException(ErrorCodes.Forbidden, "Every asset of a wallet is shown to its owner and the instance admin only; give venueId.");
                    }
                }

                return wallet is { } w
                    ? await c.Grains().GetWallet(w).GetDetailsAsync(venue, c.CancellationToken)
                    : await c.Grains().GetCard(card!.Value).GetBalancesAsync(venue, c.CancellationToken);
            });

        query.Field<WalletGraphType>("myWallet")
            .Description("The caller's own wallet, every asset: a signed-in customer's, or a staff user's by their account's e-mail; null before a card is linked to (or money sent to) that e-mail, and for devices and partners.")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c => await c.OwnWalletAsync() is { } own
                ? await c.Grains().GetWallet(own).GetDetailsAsync(null, c.CancellationToken)
                : null);
    }
}

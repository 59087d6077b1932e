using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Common;

namespace TiBillet.GraphQL.Wallets;

public sealed class WalletQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<WalletGraphType>>("wallet")
            .Description("A wallet's balances. With venueId (venue VIEWER, or a device of the venue), only the assets that venue accepts; " +
                         "without, every asset (instance admin). Give the wallet id or a card UID.")
            .Argument<IdGraphType>("id")
            .Argument<StringGraphType>("cardUid")
            .Argument<IdGraphType>("venueId")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c =>
            {
                var venueArg = c.GetArgument<string?>("venueId");
                VenueId? venue = venueArg is null ? null : VenueId.Parse(venueArg);
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
                }
                else
                {
                    c.RequireInstanceAdmin();
                }

                var id = c.GetArgument<string?>("id");
                var card = c.GetArgument<string?>("cardUid");
                if ((id is null) == (card is null))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give exactly one of id or cardUid.");
                }

                return id is not null
                    ? await c.Grains().GetWallet(WalletId.Parse(id)).GetDetailsAsync(venue, c.CancellationToken)
                    : await c.Grains().GetCard(CardUid.Parse(card)).GetBalancesAsync(venue, c.CancellationToken);
            });
    }
}

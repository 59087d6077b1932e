using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Memberships;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Memberships;

/// <summary>Membership catalogue (public), a card's standing (venue staff), one's own (customer), purchases awaiting validation (venue ADMIN).</summary>
public sealed class MembershipQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MembershipProductGraphType>>>>("membershipProducts")
            .Description("The venue's membership products (public: a venue's price list).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c => await c.Service<MembershipStore>().ListProductsAsync(VenueId.Parse(c.GetArgument<string>("venueId")), c.CancellationToken));

        query.Field<NonNullGraphType<MembershipStatusGraphType>>("membership")
            .Description("The membership at the venue of the holder a card belongs to (its owner once linked), computed from the purchases now " +
                         "(venue staff, any role). UNKNOWN_CARD for an unregistered card.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("cardUid")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Viewer);
                return await c.Service<IMembershipChecker>().ForCardAsync(venue, CardUid.Parse(c.GetArgument<string>("cardUid")), c.CancellationToken);
            });

        query.Field<NonNullGraphType<MembershipStatusGraphType>>("myMembership")
            .Description("The signed-in customer's membership at the venue (NONE while they have no wallet).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                return await c.OwnWalletAsync() is { } own
                    ? await c.Service<IMembershipChecker>().ForWalletAsync(venue, own, c.CancellationToken)
                    : MembershipStatus.None(venue);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MembershipPurchaseGraphType>>>>("pendingMemberships")
            .Description("The venue's purchases awaiting validation, oldest first, at most 200 (venue ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Service<MembershipStore>().PendingAsync(venue, c.CancellationToken);
            });
    }
}

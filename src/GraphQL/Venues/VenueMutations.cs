using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Venues;
using TiBillet.GraphQL.Assets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Venues;

/// <summary>Venues and the assets they issue.</summary>
public sealed class VenueMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<VenueGraphType>>("createVenue")
            .Description("Creates a venue (instance admin). The same id and name again returns it (a safe retry); CONFLICT if the id is taken under another name; BAD_USER_INPUT for a malformed id or name.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "1–100 characters among a-z, 0-9, '-' and '_'.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c => await c.Grains().GetVenue(VenueId.Parse(c.GetArgument<string>("id")))
                .CreateAsync(new CreateVenueRequest(c.GetArgument<string>("name")), c.CancellationToken));

        mutation.Field<NonNullGraphType<AssetGraphType>>("addAsset")
            .Description("Creates an asset issued by the venue (venue ADMIN): TLF, TNF, TIM, FID, SUB or BDG. FED is the network's, never a venue's.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<AssetKindGraphType>>("kind")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetVenue(venue)
                    .AddAssetAsync(new AddAssetRequest(AssetId.New(), c.GetArgument<AssetKind>("kind"), c.GetArgument<string>("name")), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<AssetGraphType>>("archiveAsset")
            .Description("Archives one of the venue's assets (venue ADMIN): no new money is issued in it and it no longer pays here; balances stay in their wallets, and the venue's counter still refunds its archived euro and gift money.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetVenue(venue).ArchiveAssetAsync(AssetId.Parse(c.GetArgument<string>("assetId")), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<VenueGraphType>>("setSpendingOrder")
            .Description("Sets the order in which a card's assets pay at this venue (venue ADMIN). Default: gift, venue euro, FED.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("assetIds")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                var order = c.GetArgument<List<string>>("assetIds").Select(AssetId.Parse).ToImmutableArray();
                return await c.Grains().GetVenue(venue).SetSpendingOrderAsync(order, c.CancellationToken);
            });
    }
}

using GraphQL.Types;
using TiBillet.Grains.Venues;
using TiBillet.GraphQL.Assets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Venues;

public sealed class VenueGraphType : ObjectGraphType<VenueDetails>
{
    public VenueGraphType()
    {
        Name = "Venue";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Value);
        Field(x => x.Name);
        Field<NonNullGraphType<IdGraphType>>("walletId").Description("The venue's wallet, credited by every sale.").Resolve(c => c.Source.Wallet.ToString());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetGraphType>>>>("assets").Description("Assets this venue issues.").Resolve(c => c.Source.Assets);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("spendingOrder")
            .Description("Asset ids in the order a card pays with them here.")
            // The stored order is only the venue's custom prefix (empty = default); a card pays in the computed order.
            .ResolveAsync(async c => (await c.Grains().GetVenue(c.Source.Id).GetPaymentProfileAsync(c.CancellationToken)).SpendingOrder.Select(a => a.ToString()));
        Field(x => x.CreatedAt);
    }
}

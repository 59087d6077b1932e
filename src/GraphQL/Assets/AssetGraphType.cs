using GraphQL.Types;
using TiBillet.Grains.Assets;

namespace TiBillet.GraphQL.Assets;

public sealed class AssetGraphType : ObjectGraphType<AssetDetails>
{
    public AssetGraphType()
    {
        Name = "Asset";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<AssetKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field(x => x.Name);
        Field<IdGraphType>("issuingVenueId").Resolve(c => c.Source.IssuingVenue?.Value);
        Field(x => x.Archived);
        Field(x => x.CreatedAt);
        Field<NonNullGraphType<IdGraphType>>("mintWalletId").Resolve(c => c.Source.MintWallet.ToString());
    }
}

using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;

namespace TiBillet.Silo.Hosting;

/// <summary>Every instance has exactly one FED (the network euro); it is created on the first start of the first silo.</summary>
public sealed class FederatedAssetStartupTask(IGrainFactory grains) : IStartupTask
{
    public const string DefaultName = "Euro fédéré";

    public async Task Execute(CancellationToken cancellationToken)
    {
        var fed = grains.GetAsset(AssetId.Federated);
        if (await fed.FindAsync(cancellationToken) is null)
        {
            await fed.CreateAsync(new CreateAssetRequest(AssetKind.FED, DefaultName, IssuingVenue: null), cancellationToken);
        }
    }
}

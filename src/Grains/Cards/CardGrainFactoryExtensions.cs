using TiBillet.Grains.Common;

namespace TiBillet.Grains.Cards;

public static class CardGrainFactoryExtensions
{
    public static ICardGrain GetCard(this IGrainFactory grains, CardUid uid) =>
        GrainReferences<ICardGrain>.Get(grains, IdSpan.Create(uid.Value), static g => g.GetGrain<ICardGrain>("00000000"));

    /// <summary>The card registry (stateless: the key is a fixed 0).</summary>
    public static ICardRegistryGrain GetCardRegistry(this IGrainFactory grains) => grains.GetGrain<ICardRegistryGrain>(0);
}

using System.Runtime.CompilerServices;

namespace TiBillet.Grains.Common;

/// <summary>
/// Grain references without the per-call interface-type resolution of <c>GetGrain&lt;T&gt;(key)</c>, which shows up on the
/// sale path under load. The grain type and interface type are resolved once per grain factory, then references are
/// built straight from a <see cref="GrainId"/>.
/// </summary>
internal static class GrainReferences<T>
    where T : IAddressable
{
    private static readonly ConditionalWeakTable<IGrainFactory, Ids> Resolved = new();

    public static T Get(IGrainFactory grains, IdSpan key, Func<IGrainFactory, T> resolve)
    {
        if (!Resolved.TryGetValue(grains, out var ids))
        {
            var probe = (GrainReference)(object)resolve(grains);
            ids = new Ids(probe.GrainId.Type, probe.InterfaceType);
            Resolved.AddOrUpdate(grains, ids);
        }

        return (T)grains.GetGrain(GrainId.Create(ids.Type, key), ids.Interface);
    }

    private sealed record Ids(GrainType Type, GrainInterfaceType Interface);
}

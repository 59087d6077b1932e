using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>Stored state of a <see cref="VenueGrain"/>. Small and bounded: a venue issues a handful of assets.</summary>
[GenerateSerializer, Alias("TiBillet.Grains.Venues.VenueState")]
public sealed class VenueState
{
    /// <summary>Null until the venue is created.</summary>
    [Id(0)]
    public VenueDetails? Details { get; set; }
}

using TiBillet.Testing;

namespace TiBillet.Grains.Tests;

/// <summary>Test classes marked <c>[Collection(ClusterCollection.Name)]</c> share one <see cref="ClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}

using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests;

/// <summary>Test classes marked <c>[Collection(SiloCollection.Name)]</c> share one running silo.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<TestFieldsSiloFixture>
{
    public const string Name = "Silo";
}

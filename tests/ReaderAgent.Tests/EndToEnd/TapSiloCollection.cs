namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>Test classes marked <c>[Collection(TapSiloCollection.Name)]</c> share one <see cref="TapSiloFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TapSiloCollection : ICollectionFixture<TapSiloFixture>
{
    public const string Name = "TapSilo";
}

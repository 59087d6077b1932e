namespace TiBillet.GraphQL.Tests.Trust;

/// <summary>Test classes marked <c>[Collection(OwnershipCollection.Name)]</c> share one silo whose mail is captured.</summary>
[CollectionDefinition(Name)]
public sealed class OwnershipCollection : ICollectionFixture<OwnershipSiloFixture>
{
    public const string Name = "Ownership";
}

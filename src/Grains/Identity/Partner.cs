namespace TiBillet.Grains.Identity;

/// <summary>A federated partner instance allowed to read our public agenda.</summary>
public sealed record Partner(Guid PartnerId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

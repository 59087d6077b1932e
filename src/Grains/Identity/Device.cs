namespace TiBillet.Grains.Identity;

/// <summary>A registered reader device, bound to one point of sale of one venue.</summary>
public sealed record Device(Guid DeviceId, string VenueId, string PointOfSaleId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

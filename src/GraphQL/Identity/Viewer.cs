namespace TiBillet.GraphQL.Identity;

/// <summary>Who the caller is, as the API sees them.</summary>
public sealed record Viewer(string Kind, Guid? UserId, bool IsInstanceAdmin, Guid? DeviceId, string? VenueId, string? PointOfSaleId, Guid? PartnerId);

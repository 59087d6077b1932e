namespace TiBillet.Grains.Identity;

/// <summary>A staff or user account as the API sees it (never the secret hash).</summary>
public sealed record StaffUser(Guid UserId, string Email, bool IsInstanceAdmin, DateTimeOffset CreatedAt);

namespace TiBillet.Grains.Identity;

/// <summary>One JWT signing key: its id (the token header's <c>kid</c>), the secret, and when it was created.</summary>
public sealed record SigningKey(string KeyId, byte[] Secret, DateTimeOffset CreatedAt);

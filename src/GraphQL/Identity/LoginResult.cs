using TiBillet.Grains.Identity;

namespace TiBillet.GraphQL.Identity;

/// <summary>A signed-in staff session: send <see cref="Token"/> as <c>Authorization: Bearer …</c>.</summary>
public sealed record LoginResult(string Token, DateTimeOffset ExpiresAt, StaffUser User);

namespace TiBillet.Grains.Identity;

/// <summary>A freshly created credential: <see cref="Key"/> is shown this once and never stored in clear.</summary>
public sealed record IssuedKey(Guid Id, string Key);

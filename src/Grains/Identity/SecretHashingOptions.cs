namespace TiBillet.Grains.Identity;

/// <summary>How staff login secrets are hashed (section <c>SecretHashingOptions</c>).</summary>
public sealed class SecretHashingOptions
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new hashes. A stored hash made with fewer is replaced on the next successful
    /// sign-in. Lower it only for tests.
    /// </summary>
    public int Iterations { get; set; } = SecretHasher.DefaultIterations;
}

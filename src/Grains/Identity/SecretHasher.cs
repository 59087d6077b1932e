using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Identity;

/// <summary>Key generation and hashing for every credential we issue.</summary>
public static class SecretHasher
{
    /// <summary>PBKDF2-HMAC-SHA256 iterations for new login secrets: the OWASP Password Storage Cheat Sheet figure (2023).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>A new random key, URL-safe, 256 bits.</summary>
    public static string NewKey() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Fast hash for high-entropy random keys (device and partner keys): the lookup is an index probe.</summary>
    public static byte[] HashKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Slow salted hash for human-held secrets (staff login secrets): <c>iterations$salt$hash</c>, so a stored hash keeps
    /// verifying after the configured count changes.
    /// </summary>
    public static string HashSecret(string secret, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored <see cref="HashSecret"/> value.</summary>
    public static bool VerifySecret(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 3 || IterationsOf(stored) is not { } iterations)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[1]);
        var expected = Convert.FromBase64String(parts[2]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The iteration count a stored hash was made with, or null when it is malformed.</summary>
    public static int? IterationsOf(string stored)
    {
        var end = stored.IndexOf('$', StringComparison.Ordinal);
        return end > 0 && int.TryParse(stored.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    /// <summary>Whether a stored hash is weaker than <paramref name="iterations"/> and should be replaced after a successful check.</summary>
    public static bool NeedsUpgrade(string stored, int iterations) => IterationsOf(stored) is { } n && n < iterations;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

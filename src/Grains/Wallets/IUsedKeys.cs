using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The narrow read the Wallets capability offers the others about its idempotency keys: whether a money operation was
/// already committed under a key (a card link checks it before it mails anything under that key).
/// </summary>
public interface IUsedKeys
{
    /// <summary>Whether an operation is stored under <paramref name="key"/>.</summary>
    Task<bool> IsUsedAsync(IdempotencyKey key, CancellationToken cancellationToken = default);
}

using System.Security.Cryptography;
using System.Text;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The ledger key of a client's idempotency key: the client's text within its caller's scope (a venue, a user, or the
/// instance admins). Two venues sending the same text get two different ledger keys, so one never blocks the other nor
/// learns, by a CONFLICT or a replayed answer, that the other used it. A client's key can never take the shape of a key
/// the system makes itself (a till's "pos:…"), since every scoped key starts with its scope.
/// </summary>
public static class IdempotencyScope
{
    /// <summary>A key sent on behalf of <paramref name="venue"/> (its staff, devices and tills).</summary>
    public static IdempotencyKey ForVenue(VenueId venue, string? clientKey) => Scoped("v:" + venue.Value, clientKey);

    /// <summary>A key sent by a customer (the user whose e-mail it is).</summary>
    public static IdempotencyKey ForUser(EmailAddress user, string? clientKey) =>
        // Hashed, so that the stored key neither shows the e-mail nor depends on which characters it holds.
        Scoped("u:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Value)))[..32], clientKey);

    /// <summary>A key sent by an instance admin (one network-wide scope).</summary>
    public static IdempotencyKey ForInstanceAdmin(string? clientKey) => Scoped("a", clientKey);

    private static IdempotencyKey Scoped(string scope, string? clientKey)
    {
        var text = IdempotencyKey.Parse(clientKey).Value;
        var key = scope + ":" + text;
        // Scopes hold no '#': a long key's hashed form cannot equal any short key's plain form.
        return key.Length <= IdempotencyKey.MaxLength
            ? new IdempotencyKey(key)
            : new IdempotencyKey(scope + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}

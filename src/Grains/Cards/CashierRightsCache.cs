using System.Collections.Concurrent;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Cards;

/// <summary>
/// A per-silo cache of "is this card a cashier of this venue", so every sale at a venue does not call the one cashier
/// card's activation, a hot spot. Grants, revocations and losses on this silo take effect at once; on
/// other silos within <see cref="TimeToLive"/>. Thread-safe.
/// </summary>
public sealed class CashierRightsCache(IGrainFactory grains)
{
    /// <summary>How long an answer is trusted on other silos after a change.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(CardUid Card, VenueId Venue), (bool Allowed, long ExpiresAt)> _entries = new();

    public async Task<bool> IsCashierAtAsync(CardUid card, VenueId venue, CancellationToken cancellationToken = default)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue((card, venue), out var entry) && entry.ExpiresAt > now)
        {
            return entry.Allowed;
        }

        var allowed = await grains.GetCard(card).IsCashierAtAsync(venue, cancellationToken);
        _entries[(card, venue)] = (allowed, now + (long)TimeToLive.TotalMilliseconds);
        return allowed;
    }

    /// <summary>Forgets every answer about <paramref name="card"/> (called by the card after a change).</summary>
    public void Invalidate(CardUid card)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.Card == card)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}

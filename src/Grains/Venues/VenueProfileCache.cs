using System.Collections.Concurrent;

using TiBillet.Grains.Common;

namespace TiBillet.Grains.Venues;

/// <summary>
/// A per-silo cache of venue payment profiles, so the sale path never funnels through one hot venue activation
///. Changes made on this silo invalidate at once; other silos see them within <see cref="TimeToLive"/>.
/// Thread-safe: called concurrently from many wallet grains.
/// </summary>
public sealed class VenueProfileCache(IGrainFactory grains)
{
    /// <summary>How long a profile is trusted. An archived asset may stay spendable on another silo this long.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<VenueId, Entry> _entries = new();

    public async Task<VenuePaymentProfile> GetAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(venue, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Profile;
        }

        var profile = await grains.GetVenue(venue).GetPaymentProfileAsync(cancellationToken);
        _entries[venue] = new Entry(profile, now + (long)TimeToLive.TotalMilliseconds);
        return profile;
    }

    public void Invalidate(VenueId venue) => _entries.TryRemove(venue, out _);

    private sealed record Entry(VenuePaymentProfile Profile, long ExpiresAt);
}

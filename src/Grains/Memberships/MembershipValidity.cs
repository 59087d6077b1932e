namespace TiBillet.Grains.Memberships;

/// <summary>A validity period: from <see cref="Start"/> to <see cref="End"/> (exclusive); a null end never ends (lifetime).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Memberships.MembershipPeriod")]
public sealed record MembershipPeriod(DateTimeOffset Start, DateTimeOffset? End);

/// <summary>
/// The validity calculator: pure, so every rule about periods is tested without a cluster. A purchase or renewal extends
/// from the current end while the membership is still running, and from now once it has lapsed. Calendar units (month,
/// calendar month, calendar year, school year) are computed on the venue's wall clock, so "until the end of August" means
/// midnight in the venue's time zone, whatever the server's.
/// </summary>
public static class MembershipValidity
{
    /// <summary>
    /// The period a new purchase covers. <paramref name="currentEnd"/> is the latest end of the holder's earlier
    /// purchases of the product (null when none); <paramref name="currentLifetime"/> says one of them never ends.
    /// </summary>
    public static MembershipPeriod Extend(MembershipDuration duration, DateTimeOffset? currentEnd, bool currentLifetime, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (currentLifetime || duration == MembershipDuration.Lifetime)
        {
            return new MembershipPeriod(now, null);
        }

        var start = currentEnd is { } end && end > now ? end : now;
        return new MembershipPeriod(start, EndOf(duration, start, zone));
    }

    /// <summary>Where a period of <paramref name="duration"/> starting at <paramref name="start"/> ends (null for lifetime).</summary>
    public static DateTimeOffset? EndOf(MembershipDuration duration, DateTimeOffset start, TimeZoneInfo zone)
    {
        switch (duration)
        {
            case MembershipDuration.Hour:
                return start.AddHours(1);
            case MembershipDuration.Day:
                return start.AddDays(1);
            case MembershipDuration.Week:
                return start.AddDays(7);
            case MembershipDuration.Days365:
                return start.AddDays(365);
            case MembershipDuration.Lifetime:
                return null;
        }

        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var wall = duration switch
        {
            MembershipDuration.Month => local.AddMonths(1),
            MembershipDuration.CalendarMonth => new DateTime(local.Year, local.Month, 1).AddMonths(1),
            MembershipDuration.CalendarYear => new DateTime(local.Year + 1, 1, 1),
            MembershipDuration.SchoolYear => new DateTime(local.Month >= 9 ? local.Year + 1 : local.Year, 9, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(duration), duration, "Unknown duration."),
        };
        return FromWallClock(wall, zone);
    }

    /// <summary>
    /// The instant a venue's wall clock shows <paramref name="wall"/>. A time skipped by a clock change is read as the
    /// first instant after the gap; a repeated one as its first occurrence.
    /// </summary>
    private static DateTimeOffset FromWallClock(DateTime wall, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified).Max() : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    /// <summary>Parses an IANA time zone id; BAD_USER_INPUT when unknown.</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : throw new Common.DomainException(Common.ErrorCodes.BadUserInput, "Unknown time zone: give an IANA id such as Europe/Paris.");
}

using TiBillet.Grains.Common;

namespace TiBillet.Grains.Closures;

/// <summary>How a venue's business day turns: at <see cref="DayTurn"/> in <see cref="TimeZone"/> (IANA id), and whether it closes then by itself.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.TillSettings")]
public sealed record TillSettings(string TimeZone, TimeOnly DayTurn, bool AutoClose)
{
    public static readonly TillSettings Default = new("Europe/Paris", new TimeOnly(4, 0), false);

    /// <summary>The business day an instant belongs to: the venue's local date, shifted back by the turn hour.</summary>
    public DateOnly BusinessDayOf(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        return DateOnly.FromDateTime(local.DateTime - DayTurn.ToTimeSpan());
    }

    /// <summary>The first day turn strictly after <paramref name="at"/>, as an instant.</summary>
    public DateTimeOffset NextTurnAfter(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var day = BusinessDayOf(at).AddDays(1);
        var local = day.ToDateTime(DayTurn);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

/// <summary>A cashier's session at a till: the float put in the drawer, and once closed, the cash counted and expected.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.CashierSession")]
public sealed record CashierSession(
    Guid Id, VenueId Venue, string PointOfSale, Guid User, long OpeningFloat, DateTimeOffset OpenedAt,
    long? CountedCash, long? ExpectedCash, DateTimeOffset? ClosedAt);

/// <summary>A Z closure: an immutable snapshot of a period's report.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Closures.TillClosure")]
public sealed record TillClosure(
    Guid Id, VenueId Venue, int Number, DateOnly BusinessDay, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    string ClosedBy, bool Automatic, TillReport Report);

/// <summary>Till settings of the silo.</summary>
public sealed class TillOptions
{
    /// <summary>
    /// How far behind now a closure ends. An operation is stamped just before its commit; a closure ending a moment in the
    /// past never cuts off one still committing, which would then fall into no closure at all.
    /// </summary>
    public TimeSpan ClosureSettleMargin { get; set; } = TimeSpan.FromSeconds(2);
}

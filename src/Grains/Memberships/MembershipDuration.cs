namespace TiBillet.Grains.Memberships;

/// <summary>How long one purchase of a membership product lasts. Stored as smallint: values are frozen, new ones go last.</summary>
public enum MembershipDuration : short
{
    Hour = 0,
    Day = 1,
    Week = 2,

    /// <summary>One month from the start, same day of the month (clamped to the month's last day), in the venue's time zone.</summary>
    Month = 3,

    /// <summary>Until the end of the calendar month the period starts in (venue time zone).</summary>
    CalendarMonth = 4,

    /// <summary>365 days from the start.</summary>
    Days365 = 5,

    /// <summary>Until the end of the calendar year the period starts in (venue time zone).</summary>
    CalendarYear = 6,

    /// <summary>Until the end of the school year (September to August) the period starts in (venue time zone).</summary>
    SchoolYear = 7,

    /// <summary>Never ends.</summary>
    Lifetime = 8,
}

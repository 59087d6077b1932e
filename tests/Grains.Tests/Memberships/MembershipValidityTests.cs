using TiBillet.Grains.Memberships;

namespace TiBillet.Grains.Tests.Memberships;

/// <summary>The validity calculator alone: no cluster, fixed instants, the venue's time zone.</summary>
public sealed class MembershipValidityTests
{
    private static readonly TimeZoneInfo Paris = MembershipValidity.Zone("Europe/Paris");

    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MembershipDuration.Hour, "2026-03-10T11:00:00+00:00")]
    [InlineData(MembershipDuration.Day, "2026-03-11T10:00:00+00:00")]
    [InlineData(MembershipDuration.Week, "2026-03-17T10:00:00+00:00")]
    [InlineData(MembershipDuration.Days365, "2027-03-10T10:00:00+00:00")]
    public void Fixed_lengths_count_from_now_when_nothing_was_bought(MembershipDuration duration, string end)
    {
        var period = MembershipValidity.Extend(duration, null, false, Utc(2026, 3, 10, 10), Paris);
        Assert.Equal(Utc(2026, 3, 10, 10), period.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), period.End);
    }

    [Fact]
    public void A_renewal_extends_from_the_current_end_while_it_runs()
    {
        var period = MembershipValidity.Extend(MembershipDuration.Week, Utc(2026, 3, 12), false, Utc(2026, 3, 10), Paris);
        Assert.Equal(new MembershipPeriod(Utc(2026, 3, 12), Utc(2026, 3, 19)), period);
    }

    [Fact]
    public void A_lapsed_membership_starts_again_from_now()
    {
        var period = MembershipValidity.Extend(MembershipDuration.Day, Utc(2026, 3, 1), false, Utc(2026, 3, 10, 9), Paris);
        Assert.Equal(new MembershipPeriod(Utc(2026, 3, 10, 9), Utc(2026, 3, 11, 9)), period);
    }

    [Fact]
    public void A_calendar_month_ends_at_midnight_of_the_next_month_on_the_venue_clock()
    {
        // 15 March, Paris is UTC+1: the month ends at 1 April 00:00 Paris, which is summer time (UTC+2).
        var period = MembershipValidity.Extend(MembershipDuration.CalendarMonth, null, false, Utc(2026, 3, 15, 12), Paris);
        Assert.Equal(Utc(2026, 3, 31, 22), period.End);
    }

    [Fact]
    public void The_last_evening_of_a_month_in_utc_is_already_the_next_month_in_paris()
    {
        // 31 January 23:30 UTC is 1 February 00:30 in Paris: the calendar month bought then is February.
        var period = MembershipValidity.Extend(MembershipDuration.CalendarMonth, null, false, Utc(2026, 1, 31, 23, 30), Paris);
        Assert.Equal(Utc(2026, 2, 28, 23), period.End);
    }

    [Fact]
    public void A_month_keeps_the_day_of_the_month_and_clamps_at_its_end()
    {
        Assert.Equal(Utc(2026, 2, 28, 9), MembershipValidity.EndOf(MembershipDuration.Month, Utc(2026, 1, 31, 9), Paris));
        Assert.Equal(Utc(2026, 4, 15, 8), MembershipValidity.EndOf(MembershipDuration.Month, Utc(2026, 3, 15, 9), Paris));
    }

    [Fact]
    public void A_calendar_year_ends_on_new_year_in_the_venue_zone()
    {
        Assert.Equal(Utc(2026, 12, 31, 23), MembershipValidity.EndOf(MembershipDuration.CalendarYear, Utc(2026, 6, 1), Paris));
    }

    [Theory]
    [InlineData(2026, 8, 31, 2026)]
    [InlineData(2026, 9, 2, 2027)]
    [InlineData(2027, 1, 15, 2027)]
    public void A_school_year_runs_to_the_first_of_september(int y, int m, int d, int endYear)
    {
        Assert.Equal(new DateTimeOffset(endYear, 8, 31, 22, 0, 0, TimeSpan.Zero), MembershipValidity.EndOf(MembershipDuration.SchoolYear, Utc(y, m, d, 10), Paris));
    }

    [Fact]
    public void A_renewal_of_a_school_year_from_its_end_covers_the_next_one()
    {
        var period = MembershipValidity.Extend(MembershipDuration.SchoolYear, new DateTimeOffset(2026, 8, 31, 22, 0, 0, TimeSpan.Zero), false, Utc(2026, 6, 1), Paris);
        Assert.Equal(new DateTimeOffset(2027, 8, 31, 22, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void Lifetime_never_ends_and_a_lifetime_member_stays_one()
    {
        Assert.Null(MembershipValidity.Extend(MembershipDuration.Lifetime, Utc(2026, 5, 1), false, Utc(2026, 3, 1), Paris).End);
        Assert.Null(MembershipValidity.Extend(MembershipDuration.Week, null, true, Utc(2026, 3, 1), Paris).End);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        var refused = Assert.Throws<TiBillet.Grains.Common.DomainException>(() => MembershipValidity.Zone("Mars/Olympus"));
        Assert.Equal("BAD_USER_INPUT", refused.Code);
    }

    [Fact]
    public void The_venue_standing_is_valid_when_any_product_is()
    {
        var venue = new TiBillet.Grains.Common.VenueId("v");
        var status = MembershipStatus.Of(venue,
        [
            new MembershipProductStatus(MembershipProductId.New(), "a", MembershipState.Expired, null, Utc(2026, 1, 1), false),
            new MembershipProductStatus(MembershipProductId.New(), "b", MembershipState.Valid, Utc(2026, 9, 1), null, false),
        ]);
        Assert.Equal((MembershipState.Valid, (DateTimeOffset?)Utc(2026, 9, 1)), (status.State, status.ValidUntil));
        Assert.Equal(MembershipState.None, MembershipStatus.Of(venue, []).State);
    }
}

using TiBillet.Grains.Closures;

namespace TiBillet.Grains.Tests.Closures;

/// <summary>The business day and its turn on the venue's wall clock, across daylight-saving changes.</summary>
public sealed class TillSettingsTests
{
    private static readonly TillSettings Paris = new("Europe/Paris", new TimeOnly(4, 0), true);

    [Theory]
    [InlineData("2026-03-28T12:00:00Z", "2026-03-29T02:00:00Z")] // the night clocks go forward: 04:00 CEST
    [InlineData("2026-10-24T12:00:00Z", "2026-10-25T03:00:00Z")] // the night clocks go back: 04:00 CET
    [InlineData("2026-12-07T02:30:00Z", "2026-12-07T03:00:00Z")] // 03:30 in Paris: today's turn is still ahead
    [InlineData("2026-12-07T03:00:00Z", "2026-12-08T03:00:00Z")] // exactly at the turn: the next one
    public void The_next_turn_is_the_turn_hour_on_the_venue_s_wall_clock(string at, string next) =>
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            Paris.NextTurnAfter(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-12-07T02:59:59Z", "2026-12-06")]
    [InlineData("2026-12-07T03:00:00Z", "2026-12-07")]
    public void An_instant_belongs_to_the_business_day_that_started_at_the_last_turn(string at, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Paris.BusinessDayOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
}

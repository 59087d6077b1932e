using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Closures;

/// <summary>
/// Not reentrant: closures are taken one at a time, so two never share a number or overlap. Keeps nothing in memory; its
/// rows are its state.
/// </summary>
public sealed partial class TillDayGrain(
    TillDayStore store,
    TillReportStore reports,
    IOptions<TillOptions> options,
    TimeProvider clock,
    ILogger<TillDayGrain> logger) : Grain, ITillDayGrain, IRemindable
{
    private const string DayTurnReminder = "day-turn";

    private VenueId Venue => new(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        VenueId.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<TillSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await RequireVenueAsync(cancellationToken);
        return await store.SettingsAsync(Venue, cancellationToken);
    }

    public async Task<TillSettings> SaveSettingsAsync(TillSettings settings, CancellationToken cancellationToken = default)
    {
        await RequireVenueAsync(cancellationToken);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone ?? "", out _))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Unknown time zone (an IANA id such as Europe/Paris).");
        }

        await store.SaveSettingsAsync(Venue, settings, cancellationToken);
        if (settings.AutoClose)
        {
            var now = clock.GetUtcNow();
            await this.RegisterOrUpdateReminder(DayTurnReminder, settings.NextTurnAfter(now) - now, TimeSpan.FromDays(1));
        }
        else if (await this.GetReminder(DayTurnReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        return settings;
    }

    public async Task<CashierSession> OpenSessionAsync(string pointOfSale, Guid user, long openingFloat, CancellationToken cancellationToken = default)
    {
        await RequireVenueAsync(cancellationToken);
        if (openingFloat < 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A cash float is 0 or more.");
        }

        var code = PointOfSaleId.ParseCode(pointOfSale);
        _ = await GrainFactory.GetPointOfSale(new PointOfSaleId(Venue, code)).GetDetailsAsync(cancellationToken); // NOT_FOUND
        return await store.OpenSessionAsync(Venue, code, user, openingFloat, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Conflict, "This cashier already has an open session at this venue.");
    }

    public async Task<CashierSession> CloseSessionAsync(Guid user, long countedCash, CancellationToken cancellationToken = default)
    {
        if (countedCash < 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Counted cash is 0 or more.");
        }

        return await store.CloseSessionAsync(Venue, user, countedCash, cancellationToken)
            ?? throw new DomainException(ErrorCodes.NotFound, "This cashier has no open session at this venue.");
    }

    public async Task<TillClosure> CloseAsync(string closedBy, bool automatic = false, CancellationToken cancellationToken = default)
    {
        await RequireVenueAsync(cancellationToken);
        var settings = await store.SettingsAsync(Venue, cancellationToken);
        var last = await store.LastClosureAsync(Venue, cancellationToken);
        var start = last?.PeriodEnd ?? DateTimeOffset.UnixEpoch;
        // Microseconds, as PostgreSQL stores them, so the next period starts exactly where this one ends.
        var end = Truncate(clock.GetUtcNow() - options.Value.ClosureSettleMargin);
        if (end < start)
        {
            end = start;
        }

        var report = await reports.ComputeAsync(Venue, start, end, cancellationToken);
        var closure = new TillClosure(Guid.CreateVersion7(), Venue, (last?.Number ?? 0) + 1, settings.BusinessDayOf(end), start, end, closedBy, automatic, report);
        if (!await store.AddClosureAsync(closure, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Conflict, "Another closure was taken at the same time; retry.");
        }

        LogClosed(logger, Venue.Value, closure.Number, report.Lines);
        return closure;
    }

    /// <summary>
    /// The day turn: with automatic closure on, a closure is taken, unless an automatic one was taken within the hour (a
    /// reminder delivered twice). The reminder is then set again for the next turn, so it follows the venue's wall clock
    /// across daylight-saving changes; with the setting off, it is removed.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DayTurnReminder)
        {
            return;
        }

        var settings = await store.SettingsAsync(Venue);
        if (!settings.AutoClose)
        {
            if (await this.GetReminder(DayTurnReminder) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        var now = clock.GetUtcNow();
        var last = await store.LastClosureAsync(Venue);
        if (last is not { Automatic: true } || last.PeriodEnd < now - TimeSpan.FromHours(1))
        {
            await CloseAsync("automatic", automatic: true);
        }

        await this.RegisterOrUpdateReminder(DayTurnReminder, settings.NextTurnAfter(now) - now, TimeSpan.FromDays(1));
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private Task<VenueDetails> RequireVenueAsync(CancellationToken cancellationToken) => GrainFactory.GetVenue(Venue).GetDetailsAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Till of {Venue}: closure {Number} taken over {Lines} sale lines")]
    private static partial void LogClosed(ILogger logger, string venue, int number, long lines);
}

using System.Globalization;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.Closures;

/// <summary>Cashier sessions (CASHIER, their own), Z closures (MANAGER), settings (ADMIN) and reports (VIEWER, MANAGER, ADMIN).</summary>
public sealed class ClosureFields : IQueryFields, IMutationFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<TillReportGraphType>>("tillReport")
            .Description("An X report of any period, closing nothing (venue VIEWER, MANAGER or ADMIN). Default period: since the last closure, until now.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<DateTimeOffsetGraphType>("from")
            .Argument<DateTimeOffsetGraphType>("to")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.Service<ReportAccess>().RequireReaderAsync(c.Caller(), venue, c.CancellationToken);
                var (from, to) = await PeriodAsync(c, venue, c.GetArgument<DateTimeOffset?>("from"), c.GetArgument<DateTimeOffset?>("to"));
                return await c.Service<TillReportStore>().ComputeAsync(venue, from, to, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TillClosureGraphType>>>>("tillClosures")
            .Description("The venue's Z closures, newest first (venue VIEWER, MANAGER or ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<IntGraphType>("first", "At most 100 (default 20).")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.Service<ReportAccess>().RequireReaderAsync(c.Caller(), venue, c.CancellationToken);
                return await c.Service<TillDayStore>().ClosuresAsync(venue, Math.Clamp(c.GetArgument<int?>("first") ?? 20, 1, 100), null, c.CancellationToken);
            });
    }

    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CashierSessionGraphType>>("openCashierSession")
            .Description("Opens the caller's cashier session at a till with a cash float (venue CASHIER). CONFLICT if one is open; BAD_USER_INPUT for a negative float.")
            .Argument<NonNullGraphType<OpenCashierSessionInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<OpenCashierSessionInput>("input");
                var pos = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await c.RequireVenueRoleAsync(pos.Venue, VenueRole.Cashier);
                return await c.Grains().GetTillDay(pos.Venue).OpenSessionAsync(pos.Code, c.Caller().StaffUserId()!.Value, input.OpeningFloat, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CashierSessionGraphType>>("closeCashierSession")
            .Description("Closes the caller's own session with the cash counted (venue CASHIER); answers the cash expected. NOT_FOUND when none is open.")
            .Argument<NonNullGraphType<CloseCashierSessionInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CloseCashierSessionInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Cashier);
                return await c.Grains().GetTillDay(venue).CloseSessionAsync(c.Caller().StaffUserId()!.Value, input.CountedCash, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<TillClosureGraphType>>("closeTillDay")
            .Description("Takes a Z closure (venue MANAGER): the report since the previous closure, stored for good. Several per business day are allowed.")
            .Argument<NonNullGraphType<CloseTillDayInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<CloseTillDayInput>("input").VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Manager);
                return await c.Grains().GetTillDay(venue).CloseAsync(c.Caller().StaffUserId()!.Value.ToString(), false, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<TillSettingsGraphType>>("saveTillSettings")
            .Description("Sets the venue's time zone, day-turn hour and automatic closure (venue ADMIN). BAD_USER_INPUT for an unknown zone or a bad hour.")
            .Argument<NonNullGraphType<SaveTillSettingsInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SaveTillSettingsInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                if (!TimeOnly.TryParseExact(input.DayTurn, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var turn))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "A day turn is HH:mm.");
                }

                return await c.Grains().GetTillDay(venue).SaveSettingsAsync(new TillSettings(input.TimeZone, turn, input.AutoClose), c.CancellationToken);
            });
    }

    /// <summary>The period of an X report: since the last closure (or the beginning) until now, unless given.</summary>
    internal static async Task<(DateTimeOffset From, DateTimeOffset To)> PeriodAsync(IResolveFieldContext c, VenueId venue, DateTimeOffset? from, DateTimeOffset? to)
    {
        var start = from ?? (await c.Service<TillDayStore>().LastClosureAsync(venue, c.CancellationToken))?.PeriodEnd ?? DateTimeOffset.UnixEpoch;
        var end = to ?? DateTimeOffset.UtcNow.AddSeconds(1);
        return end < start ? throw new DomainException(ErrorCodes.BadUserInput, "A period ends after it starts.") : (start, end);
    }
}

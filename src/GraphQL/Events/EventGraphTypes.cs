using GraphQL.Types;
using TiBillet.Grains.Events;

namespace TiBillet.GraphQL.Events;

public sealed class EventStateGraphType : EnumerationGraphType<EventState>
{
    public EventStateGraphType() => Name = "EventState";
}

public sealed class PriceKindGraphType : EnumerationGraphType<PriceKind>
{
    public PriceKindGraphType() => Name = "PriceKind";
}

/// <summary>A price with its live availability, as the event grain counts it.</summary>
public sealed record PriceView(EventPrice Price, PriceAvailability? Availability);

public sealed class EventPriceGraphType : ObjectGraphType<PriceView>
{
    public EventPriceGraphType()
    {
        Name = "EventPrice";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Price.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Price.Name);
        Field<NonNullGraphType<PriceKindGraphType>>("kind").Resolve(c => c.Source.Price.Kind);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents a seat: the price, or the minimum of a pay-what-you-want price (0 when free).").Resolve(c => c.Source.Price.Amount);
        Field<IntGraphType>("stock").Description("Seats at this price at most (null: only the capacity limits them).").Resolve(c => c.Source.Price.Stock);
        Field<IntGraphType>("perCustomerLimit").Resolve(c => c.Source.Price.PerCustomerLimit);
        Field<DateTimeOffsetGraphType>("salesStart").Resolve(c => c.Source.Price.SalesStart);
        Field<DateTimeOffsetGraphType>("salesEnd").Resolve(c => c.Source.Price.SalesEnd);
        Field<NonNullGraphType<BooleanGraphType>>("membersOnly").Description("Reserved only by holders of a valid membership of membershipProductId.")
            .Resolve(c => c.Source.Price.MembershipProduct is not null);
        Field<IdGraphType>("membershipProductId").Description("The membership product a members-only price requires.").Resolve(c => c.Source.Price.MembershipProduct?.Value);
        Field<NonNullGraphType<IntGraphType>>("taken").Description("Seats held or sold at this price.").Resolve(c => c.Source.Availability?.Taken ?? 0);
        Field<NonNullGraphType<IntGraphType>>("remaining").Description("Seats still available at this price.").Resolve(c => c.Source.Availability?.Remaining ?? 0);
    }
}

public sealed class EventGraphType : ObjectGraphType<EventDetails>
{
    public EventGraphType()
    {
        Name = "Event";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<EventStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Definition.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Definition.Description);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt").Description("UTC.").Resolve(c => c.Source.Definition.StartsAt.ToUniversalTime());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("endsAt").Description("UTC.").Resolve(c => c.Source.Definition.EndsAt.ToUniversalTime());
        Field<NonNullGraphType<StringGraphType>>("timeZone").Description("The venue's IANA time zone.").Resolve(c => c.Source.Definition.TimeZone);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("localStartsAt").Description("The start in the venue's time zone (with its offset).")
            .Resolve(c => EventTime.Local(c.Source.Definition.StartsAt, c.Source.Definition.TimeZone));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags").Resolve(c => c.Source.Definition.Tags);
        Field<StringGraphType>("imageUrl").Resolve(c => c.Source.Definition.ImageUrl);
        Field<NonNullGraphType<IntGraphType>>("capacity").Resolve(c => c.Source.Definition.Capacity);
        Field<NonNullGraphType<BooleanGraphType>>("private").Description("Kept off the agenda; reachable by its id.").Resolve(c => c.Source.Definition.Private);
        Field<NonNullGraphType<BooleanGraphType>>("nominative").Description("Each seat needs its holder's name.").Resolve(c => c.Source.Definition.Nominative);
        Field<IntGraphType>("holdSeconds").Description("How long an unconfirmed reservation holds its seats (null: the default, 15 minutes).").Resolve(c => c.Source.Definition.HoldSeconds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EventPriceGraphType>>>>("prices")
            .Resolve(c => c.Source.Definition.Prices.Select(p => new PriceView(p, c.Source.Availability.FirstOrDefault(a => a.PriceId == p.Id))));
        Field<NonNullGraphType<IntGraphType>>("taken").Description("Seats held or sold.").Resolve(c => c.Source.Taken);
        Field<NonNullGraphType<IntGraphType>>("sold").Description("Seats of confirmed reservations.").Resolve(c => c.Source.Confirmed);
    }
}

public sealed class AgendaEventGraphType : ObjectGraphType<AgendaItem>
{
    public AgendaEventGraphType()
    {
        Name = "AgendaEvent";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<EventStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt").Resolve(c => c.Source.StartsAt.ToUniversalTime());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("endsAt").Resolve(c => c.Source.EndsAt.ToUniversalTime());
        Field<NonNullGraphType<StringGraphType>>("timeZone").Resolve(c => c.Source.TimeZone);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("localStartsAt").Resolve(c => EventTime.Local(c.Source.StartsAt, c.Source.TimeZone));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags").Resolve(c => c.Source.Tags);
        Field<StringGraphType>("imageUrl").Resolve(c => c.Source.ImageUrl);
    }
}

public sealed class AgendaPageGraphType : ObjectGraphType<AgendaPage>
{
    public AgendaPageGraphType()
    {
        Name = "AgendaPage";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AgendaEventGraphType>>>>("items").Resolve(c => c.Source.Items);
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
        Field<StringGraphType>("endCursor").Description("Pass as `after` for the next page.").Resolve(c => c.Source.EndCursor);
    }
}

/// <summary>Instants shown in a venue's time zone.</summary>
public static class EventTime
{
    public static DateTimeOffset Local(DateTimeOffset utc, string zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var tz) ? TimeZoneInfo.ConvertTime(utc, tz) : utc;
}

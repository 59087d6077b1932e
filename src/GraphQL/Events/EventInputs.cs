using GraphQL.Types;
using TiBillet.Grains.Events;

namespace TiBillet.GraphQL.Events;

/// <summary>One price as a venue admin writes it.</summary>
public sealed record PriceInput(string Id, string Name, PriceKind Kind, long Amount, int? Stock, int? PerCustomerLimit, DateTimeOffset? SalesStart, DateTimeOffset? SalesEnd,
    string? MembershipProductId = null);

/// <summary>The <c>createEvent</c> mutation's input.</summary>
public sealed record CreateEventInput(
    string VenueId, string Title, string? Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, List<string>? Tags,
    string? ImageUrl, int Capacity, bool? Private, bool? Nominative, int? HoldSeconds, List<PriceInput> Prices)
{
    public EventDefinition ToDefinition() => EventInputs.Definition(Title, Description, StartsAt, EndsAt, TimeZone, Tags, ImageUrl, Capacity, Private, Nominative, HoldSeconds, Prices);
}

/// <summary>The <c>updateEvent</c> mutation's input: the whole new definition.</summary>
public sealed record UpdateEventInput(
    string EventId, string Title, string? Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, List<string>? Tags,
    string? ImageUrl, int Capacity, bool? Private, bool? Nominative, int? HoldSeconds, List<PriceInput> Prices)
{
    public EventDefinition ToDefinition() => EventInputs.Definition(Title, Description, StartsAt, EndsAt, TimeZone, Tags, ImageUrl, Capacity, Private, Nominative, HoldSeconds, Prices);
}

/// <summary>The input of <c>publishEvent</c>, <c>cancelEvent</c> and <c>archiveEvent</c>.</summary>
public sealed record EventActionInput(string EventId);

/// <summary>The <c>agenda</c> query's filter.</summary>
public sealed record AgendaFilterInput(DateTimeOffset? From, DateTimeOffset? To, string? VenueId, List<string>? AnyTags, List<string>? AllTags, string? Text);

public static class EventInputs
{
    public static EventDefinition Definition(string title, string? description, DateTimeOffset startsAt, DateTimeOffset endsAt, string timeZone, List<string>? tags,
        string? imageUrl, int capacity, bool? isPrivate, bool? nominative, int? holdSeconds, List<PriceInput> prices) =>
        new(title, description ?? "", startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), timeZone, [.. tags ?? []], imageUrl, capacity, isPrivate ?? false,
            nominative ?? false, [.. (prices ?? []).Select(p => new EventPrice(p.Id, p.Name, p.Kind, p.Amount, p.Stock, p.PerCustomerLimit, p.SalesStart?.ToUniversalTime(), p.SalesEnd?.ToUniversalTime(),
                p.MembershipProductId is null ? null : TiBillet.Grains.Memberships.MembershipProductId.Parse(p.MembershipProductId)))],
            holdSeconds);

    internal static void AddDefinitionFields<T>(InputObjectGraphType<T> type)
    {
        type.Field<NonNullGraphType<StringGraphType>>("title").Description("1 to 200 characters.");
        type.Field<StringGraphType>("description");
        type.Field<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt").Description("Any offset; stored in UTC.");
        type.Field<NonNullGraphType<DateTimeOffsetGraphType>>("endsAt");
        type.Field<NonNullGraphType<StringGraphType>>("timeZone").Description("The venue's IANA time zone, e.g. Europe/Paris.");
        type.Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("Up to 20, lower-cased.");
        type.Field<StringGraphType>("imageUrl");
        type.Field<NonNullGraphType<IntGraphType>>("capacity");
        type.Field<BooleanGraphType>("private").Description("Kept off the agenda (default false).");
        type.Field<BooleanGraphType>("nominative").Description("Each seat needs its holder's name (default false).");
        type.Field<IntGraphType>("holdSeconds").Description("How long a reservation holds its seats before confirmation (default 15 minutes).");
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriceInputGraphType>>>>("prices").Description("1 to 20.");
    }
}

public sealed class PriceInputGraphType : InputObjectGraphType<PriceInput>
{
    public PriceInputGraphType()
    {
        Name = "PriceInput";
        Field<NonNullGraphType<IdGraphType>>("id").Description("1–50 characters among a-z, 0-9, '-' and '_', unique within the event.");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<PriceKindGraphType>>("kind");
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents: the price (FIXED), the minimum (PAY_WHAT_YOU_WANT), 0 (FREE).");
        Field<IntGraphType>("stock");
        Field<IntGraphType>("perCustomerLimit");
        Field<DateTimeOffsetGraphType>("salesStart");
        Field<DateTimeOffsetGraphType>("salesEnd");
        Field<IdGraphType>("membershipProductId").Description("Members only: a membership product of the venue, valid when the customer reserves (MEMBERSHIP_REQUIRED otherwise).");
    }
}

public sealed class CreateEventInputGraphType : InputObjectGraphType<CreateEventInput>
{
    public CreateEventInputGraphType()
    {
        Name = "CreateEventInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        EventInputs.AddDefinitionFields(this);
    }
}

public sealed class UpdateEventInputGraphType : InputObjectGraphType<UpdateEventInput>
{
    public UpdateEventInputGraphType()
    {
        Name = "UpdateEventInput";
        Field<NonNullGraphType<IdGraphType>>("eventId");
        EventInputs.AddDefinitionFields(this);
    }
}

public sealed class EventActionInputGraphType : InputObjectGraphType<EventActionInput>
{
    public EventActionInputGraphType()
    {
        Name = "EventActionInput";
        Field<NonNullGraphType<IdGraphType>>("eventId");
    }
}

public sealed class AgendaFilterInputGraphType : InputObjectGraphType<AgendaFilterInput>
{
    public AgendaFilterInputGraphType()
    {
        Name = "AgendaFilterInput";
        Field<DateTimeOffsetGraphType>("from").Description("Events starting at or after.");
        Field<DateTimeOffsetGraphType>("to").Description("Events starting before.");
        Field<IdGraphType>("venueId");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("anyTags").Description("Events with at least one of these tags.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("allTags").Description("Events with every one of these tags.");
        Field<StringGraphType>("text").Description("Words of the title or description (quotes, OR and - as in web search).");
    }
}

internal static class AgendaFilters
{
    public static AgendaFilter ToFilter(this AgendaFilterInput? input) => input is null
        ? new AgendaFilter()
        : new AgendaFilter(input.From, input.To, input.VenueId is null ? null : TiBillet.Grains.Common.VenueId.Parse(input.VenueId),
            input.AnyTags is null ? default : [.. input.AnyTags], input.AllTags is null ? default : [.. input.AllTags], input.Text);
}

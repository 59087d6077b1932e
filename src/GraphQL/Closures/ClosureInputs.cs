using GraphQL.Types;
using TiBillet.Grains.Common;

namespace TiBillet.GraphQL.Closures;

public sealed class OpenCashierSessionInput
{
    public string VenueId { get; set; } = "";

    public string PointOfSaleId { get; set; } = "";

    public long OpeningFloat { get; set; }
}

public sealed class CloseCashierSessionInput
{
    public string VenueId { get; set; } = "";

    public long CountedCash { get; set; }
}

public sealed class CloseTillDayInput
{
    public string VenueId { get; set; } = "";
}

public sealed class SaveTillSettingsInput
{
    public string VenueId { get; set; } = "";

    public string TimeZone { get; set; } = "";

    public string DayTurn { get; set; } = "";

    public bool AutoClose { get; set; }
}

public sealed class OpenCashierSessionInputGraphType : InputObjectGraphType<OpenCashierSessionInput>
{
    public OpenCashierSessionInputGraphType()
    {
        Name = "OpenCashierSessionInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId");
        Field<NonNullGraphType<LongGraphType>>("openingFloat").Description("Cents put in the drawer.");
    }
}

public sealed class CloseCashierSessionInputGraphType : InputObjectGraphType<CloseCashierSessionInput>
{
    public CloseCashierSessionInputGraphType()
    {
        Name = "CloseCashierSessionInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<LongGraphType>>("countedCash").Description("Cents counted in the drawer.");
    }
}

public sealed class CloseTillDayInputGraphType : InputObjectGraphType<CloseTillDayInput>
{
    public CloseTillDayInputGraphType()
    {
        Name = "CloseTillDayInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
    }
}

public sealed class SaveTillSettingsInputGraphType : InputObjectGraphType<SaveTillSettingsInput>
{
    public SaveTillSettingsInputGraphType()
    {
        Name = "SaveTillSettingsInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<StringGraphType>>("timeZone").Description("IANA id, e.g. Europe/Paris.");
        Field<NonNullGraphType<StringGraphType>>("dayTurn").Description("HH:mm, venue time (default 04:00).");
        Field<NonNullGraphType<BooleanGraphType>>("autoClose").Description("Take a closure by itself at each day turn.");
    }
}

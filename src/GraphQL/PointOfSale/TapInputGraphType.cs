using GraphQL.Types;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapInputGraphType : InputObjectGraphType<TapInput>
{
    public TapInputGraphType()
    {
        Name = "TapInput";
        Description = "A card read by a reader of the calling device's point of sale.";
        Field<NonNullGraphType<StringGraphType>>("readerName");
        Field<NonNullGraphType<StringGraphType>>("uid").Description("The UID as read, in hex. One that is not 4 or 7 bytes is an UNKNOWN_CARD result, not an error.");
        Field<NonNullGraphType<StringGraphType>>("tapId").Description("Fresh per card presence; retries reuse it, so the tap acts once.")
            .Validate(value =>
            {
                if (value is not string { Length: > 0 and <= PointOfSaleGrain.MaxTapIdLength } tapId || tapId.Any(char.IsControl))
                {
                    throw new ArgumentException($"A tap id is 1 to {PointOfSaleGrain.MaxTapIdLength} printable characters.");
                }
            });
    }
}

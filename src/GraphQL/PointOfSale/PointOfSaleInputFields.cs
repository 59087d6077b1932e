using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>
/// The input fields and arguments every point-of-sale operation shares. Their parsers run during validation, so a
/// malformed id fails with INVALID_VALUE before anything executes.
/// </summary>
internal static class PointOfSaleInputFields
{
    public static void AddIds<T>(InputObjectGraphType<T> input)
    {
        input.Field<NonNullGraphType<IdGraphType>>("venueId").Validate(value => VenueId.Parse(Text(value)));
        input.Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Validate(value => PointOfSaleId.ParseCode(Text(value)));
    }

    /// <summary>Adds the <c>venueId</c> and <c>pointOfSaleId</c> arguments, parsed during validation.</summary>
    public static FieldBuilder<TSource, TReturn> PointOfSaleArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) => field
        .Argument<NonNullGraphType<IdGraphType>>("venueId", a => a.Validate(value => VenueId.Parse(Text(value))))
        .Argument<NonNullGraphType<IdGraphType>>("pointOfSaleId", a => a.Validate(value => PointOfSaleId.ParseCode(Text(value))));

    /// <summary>The point of sale named by the <c>venueId</c> and <c>pointOfSaleId</c> arguments.</summary>
    public static PointOfSaleId IdFromArguments(IResolveFieldContext context) =>
        PointOfSaleId.Parse(context.GetArgument<string>("venueId"), context.GetArgument<string>("pointOfSaleId"));

    private static string? Text(object? value) => value as string ?? value?.ToString();
}

using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// A point of sale (a till): its venue and its <see cref="Code"/> within the venue, 1 to 100 characters among a-z, 0-9,
/// '-' and '_' (as a venue id). The grain key is <see cref="Key"/>, <c>{venueId}/{code}</c>: '/' cannot occur in either part.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.PointOfSaleId")]
public readonly record struct PointOfSaleId([property: Id(0)] VenueId Venue, [property: Id(1)] string Code)
{
    public const int MaxCodeLength = 100;

    /// <summary>The grain key.</summary>
    public string Key => Venue.Value + "/" + Code;

    /// <summary>Parses both parts; BAD_USER_INPUT when either is malformed.</summary>
    public static PointOfSaleId Parse(string? venueId, string? code) => new(VenueId.Parse(venueId), ParseCode(code));

    /// <summary>Checks a point-of-sale code; BAD_USER_INPUT when malformed.</summary>
    public static string ParseCode(string? code) =>
        VenueId.TryParse(code, out var parsed) && parsed.Value.Length <= MaxCodeLength
            ? parsed.Value
            : throw new DomainException(ErrorCodes.BadUserInput, "A point-of-sale id is 1 to 100 characters among a-z, 0-9, '-' and '_'.");

    /// <summary>Reads a grain key back; false for anything <see cref="Key"/> could not have produced.</summary>
    public static bool TryParseKey(string? key, out PointOfSaleId id)
    {
        id = default;
        var slash = key?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !VenueId.TryParse(key![..slash], out var venue)
            || !VenueId.TryParse(key[(slash + 1)..], out var code)
            || code.Value.Length > MaxCodeLength)
        {
            return false;
        }

        id = new PointOfSaleId(venue, code.Value);
        return true;
    }

    public override string ToString() => Key;
}

using System.Collections.Immutable;
using System.Text.RegularExpressions;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Events;

/// <summary>What makes an event definition well formed. Pure: tested without a cluster.</summary>
public static partial class EventRules
{
    public const int MaxCapacity = 1_000_000;
    public const int MaxHoldSeconds = 86_400;

    /// <summary>The definition, normalised (tags lower-cased and distinct, text trimmed); BAD_USER_INPUT when malformed.</summary>
    public static EventDefinition Normalize(EventDefinition d)
    {
        var title = d.Title?.Trim() ?? "";
        Require(title.Length is >= 1 and <= 200, "A title has 1 to 200 characters.");
        var description = d.Description?.Trim() ?? "";
        Require(description.Length <= 10_000, "A description has at most 10000 characters.");
        Require(d.EndsAt >= d.StartsAt, "An event ends after it starts.");
        Require(TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone ?? "", out var zone) && zone.HasIanaId, "The time zone is an IANA name such as Europe/Paris.");
        var tags = (d.Tags.IsDefault ? [] : d.Tags).Select(t => t?.Trim().ToLowerInvariant() ?? "").Distinct(StringComparer.Ordinal).ToImmutableArray();
        Require(tags.Length <= 20 && tags.All(t => t.Length is >= 1 and <= 50), "At most 20 tags of 1 to 50 characters.");
        Require(d.ImageUrl is null || (d.ImageUrl.Length <= 2000 && Uri.TryCreate(d.ImageUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
            "The image URL is an absolute http(s) URL.");
        Require(d.Capacity is >= 0 and <= MaxCapacity, $"The capacity is 0 to {MaxCapacity}.");
        Require(d.HoldSeconds is null or (>= 1 and <= MaxHoldSeconds), $"A hold lasts 1 to {MaxHoldSeconds} seconds.");
        var prices = d.Prices.IsDefault ? [] : d.Prices;
        Require(prices.Length is >= 1 and <= 20, "An event has 1 to 20 prices.");
        Require(prices.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() == prices.Length, "Price ids are distinct.");
        foreach (var p in prices)
        {
            Require(p.Id is not null && PriceIdPattern().IsMatch(p.Id), "A price id has 1 to 50 characters among a-z, 0-9, '-' and '_'.");
            Require(p.Name?.Trim() is { Length: >= 1 and <= 100 }, "A price name has 1 to 100 characters.");
            Require(p.Kind switch
            {
                PriceKind.Fixed => p.Amount is > 0 and <= 100_000_000,
                PriceKind.Free => p.Amount == 0,
                PriceKind.PayWhatYouWant => p.Amount is >= 0 and <= 100_000_000,
                _ => false,
            }, "A fixed price is above 0, a free one 0, a pay-what-you-want minimum 0 or more (cents).");
            Require(p.Stock is null or (>= 0 and <= MaxCapacity), "A stock is 0 or more.");
            Require(p.PerCustomerLimit is null or >= 1, "A per-customer limit is 1 or more.");
            Require(p.SalesStart is null || p.SalesEnd is null || p.SalesStart < p.SalesEnd, "A sales window starts before it ends.");
        }

        return d with
        {
            Title = title,
            Description = description,
            Tags = tags,
            Prices = [.. prices.Select(p => p with { Name = p.Name.Trim() })],
        };
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new DomainException(ErrorCodes.BadUserInput, message);
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,50}$")]
    private static partial Regex PriceIdPattern();
}

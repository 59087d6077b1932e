using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

/// <summary>
/// Members-only prices of events. Membership is read from the purchase rows when asked (through
/// <see cref="IMembershipChecker"/>), never from a cached flag, so a membership that lapsed a second ago no longer counts
/// and one bought on an anonymous card counts for its owner once the card is linked. Thread-safe; one per silo.
/// </summary>
public sealed class MemberPrices(MembershipStore memberships, IMembershipChecker checker, CardStore cards)
{
    /// <summary>BAD_USER_INPUT when a price names a membership product that is not one of <paramref name="venue"/>.</summary>
    public async Task RequireProductsAsync(VenueId venue, EventDefinition definition, CancellationToken cancellationToken = default)
    {
        foreach (var product in Required(definition.Prices))
        {
            if (await memberships.FindProductAsync(product, cancellationToken) is not { } found || found.Venue != venue)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A members-only price names a membership product of this venue.");
            }
        }
    }

    /// <summary>
    /// MEMBERSHIP_REQUIRED unless the customer holds, now, a valid membership of every product the asked prices require.
    /// Completes at once, reading nothing, when no asked price is members-only.
    /// </summary>
    public async Task RequireMemberAsync(VenueId venue, EventDefinition definition, ReserveRequest request, CancellationToken cancellationToken = default)
    {
        if (!definition.Prices.Any(p => p.MembershipProduct is not null))
        {
            // The usual case, on the hot path of every reservation: nothing to read, nothing allocated.
            return;
        }

        var asked = (request.Seats.IsDefault ? [] : request.Seats).Select(s => s.PriceId).ToHashSet(StringComparer.Ordinal);
        var required = Required(definition.Prices.Where(p => asked.Contains(p.Id)));
        if (required.Count == 0)
        {
            return;
        }

        var wallet = await cards.FindUserWalletAsync(request.Customer, cancellationToken);
        var status = wallet is { } w ? await checker.ForWalletAsync(venue, w, cancellationToken) : MembershipStatus.None(venue);
        if (!required.All(product => status.Products.Any(p => p.Product == product && p.State == MembershipState.Valid)))
        {
            throw new DomainException(ErrorCodes.MembershipRequired, "This price is for members: a valid membership of the venue is needed.");
        }
    }

    private static List<MembershipProductId> Required(IEnumerable<EventPrice> prices) =>
        [.. prices.Select(p => p.MembershipProduct).OfType<MembershipProductId>().Distinct()];
}

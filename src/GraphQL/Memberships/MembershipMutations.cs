using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Memberships;

/// <summary>Membership products (venue ADMIN), purchases at a counter (venue CASHIER), validation (venue ADMIN).</summary>
public sealed class MembershipMutations : IMutationFields
{
    /// <summary>The most a membership may cost, in cents (a typo guard, not a business rule).</summary>
    public const long MaxPrice = 100_000_00;

    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MembershipProductGraphType>>("createMembershipProduct")
            .Description("Adds a membership product to the venue (venue ADMIN). Idempotent with a caller-chosen productId. " +
                         "NOT_FOUND for an unknown venue; BAD_USER_INPUT for an empty name, a negative price or an unknown time zone.")
            .Argument<NonNullGraphType<CreateMembershipProductInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateMembershipProductInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                var name = input.Name?.Trim() ?? "";
                if (name.Length is 0 or > 200 || input.Price is < 0 or > MaxPrice || !Enum.IsDefined(input.Duration))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "A membership product has a name of 1 to 200 characters and a price of 0 to 10,000,000 cents.");
                }

                var zone = string.IsNullOrWhiteSpace(input.TimeZone) ? "Europe/Paris" : input.TimeZone.Trim();
                MembershipValidity.Zone(zone);
                await c.Grains().GetVenue(venue).GetDetailsAsync(c.CancellationToken);
                var id = input.ProductId is null ? MembershipProductId.New() : MembershipProductId.Parse(input.ProductId);
                var product = new MembershipProduct(id, venue, name, input.Duration, input.Price, input.RequiresValidation ?? false, zone, false, DateTimeOffset.UtcNow);
                var stored = await c.Service<MembershipStore>().InsertProductAsync(product, c.CancellationToken);
                return stored.Venue == venue ? stored : throw new DomainException(ErrorCodes.Conflict, "This product id belongs to another venue.");
            });

        mutation.Field<NonNullGraphType<MembershipPurchaseResultGraphType>>("buyMembership")
            .Description("A membership bought at the venue's counter (venue CASHIER) for the card read there: paid from the card's wallet (a sale, " +
                         "declined as data when short), in cash or by bank card. It extends from the current end, or from now once lapsed. " +
                         "Idempotent by key. NOT_FOUND for a product of another venue; UNKNOWN_CARD for an unregistered card; FORBIDDEN " +
                         "unless cashierUid is a cashier card of the venue.")
            .Argument<NonNullGraphType<BuyMembershipInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<BuyMembershipInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireCounterAsync(venue);
                var card = CardUid.Parse(input.CardUid);
                var request = new CounterMembershipRequest(IdempotencyScope.ForVenue(venue, input.IdempotencyKey), MembershipProductId.Parse(input.ProductId),
                    CardUid.Parse(input.CashierUid), card, input.Means);
                var row = await c.Service<CardStore>().FindByUidAsync(card, c.CancellationToken)
                    ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
                return await c.Grains().GetMembership(MembershipChecker.HolderOf(row), venue).BuyAtCounterAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MembershipPurchaseGraphType>>("validateMembership")
            .Description("Validates a purchase of a product that requires it (venue ADMIN); validating again changes nothing. NOT_FOUND for a purchase of another venue.")
            .Argument<NonNullGraphType<ValidateMembershipInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ValidateMembershipInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                var id = Guid.TryParse(input.PurchaseId, out var g) ? g : throw new DomainException(ErrorCodes.BadUserInput, "A purchase id is a UUID.");
                return await c.Service<MembershipStore>().ValidateAsync(id, venue, c.CancellationToken)
                    ?? throw new DomainException(ErrorCodes.NotFound, "No such purchase at this venue.");
            });
    }
}

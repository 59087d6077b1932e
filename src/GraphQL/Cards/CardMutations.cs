using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Common;

namespace TiBillet.GraphQL.Cards;

/// <summary>Card batches, linking, loss, and primary (cashier) cards.</summary>
public sealed class CardMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CardImportReportGraphType>>("registerCards")
            .Description("Registers a batch of blank cards (instance admin). Bad entries are reported one by one and never block the good ones; re-registering is idempotent.")
            .Argument<StringGraphType>("batch")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<NewCardInputGraphType>>>>("cards")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c =>
            {
                var cards = c.GetArgument<List<NewCardInput>>("cards").Select(x => new NewCard(x.Uid, x.Number, x.QrId)).ToImmutableArray();
                return await c.Grains().GetCardRegistry().RegisterAsync(new RegisterCardsRequest(c.GetArgument<string?>("batch"), cards), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardImportReportGraphType>>("importCardsCsv")
            .Description("Registers cards from CSV lines 'uid,number,qrId' (a header line is allowed), with a per-line error report. Idempotent.")
            .Argument<NonNullGraphType<StringGraphType>>("csv")
            .Argument<StringGraphType>("batch")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c => await c.Grains().GetCardRegistry().ImportCsvAsync(c.GetArgument<string>("csv"), c.GetArgument<string?>("batch"), c.CancellationToken));

        mutation.Field<NonNullGraphType<CardGraphType>>("grantCashierCard")
            .Description("Makes the card a primary (cashier) card of the venue (venue ADMIN). Other venues are unaffected.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("uid")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("uid"))).GrantCashierAsync(venue, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardGraphType>>("revokeCashierCard")
            .Description("Removes the card's cashier right at this venue only (venue ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("uid")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("uid"))).RevokeCashierAsync(venue, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<LinkCardResultGraphType>>("linkCard")
            .Description("Links a card to an e-mail at a venue's counter (venue CASHIER), fusing its anonymous wallet into the user's wallet. " +
                         "CONFLICT when that user's wallet already has a card and a balance. Idempotent by key.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("uid")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                await c.RequireVenueRoleAsync(VenueId.Parse(c.GetArgument<string>("venueId")), VenueRole.Cashier);
                var request = new LinkCardRequest(TiBillet.Grains.Wallets.IdempotencyScope.ForVenue(VenueId.Parse(c.GetArgument<string>("venueId")), c.GetArgument<string>("idempotencyKey")), EmailAddress.Parse(c.GetArgument<string>("email")));
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("uid"))).LinkToEmailAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardGraphType>>("declareCardLost")
            .Description("Declares a card lost at a venue's counter (venue CASHIER): it is detached and its balance stays with the user.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("uid")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                await c.RequireVenueRoleAsync(VenueId.Parse(c.GetArgument<string>("venueId")), VenueRole.Cashier);
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("uid"))).DeclareLostAsync(c.CancellationToken);
            });
    }
}

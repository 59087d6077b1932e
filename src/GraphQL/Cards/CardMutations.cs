using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Cards;

/// <summary>Card batches, primary (cashier) cards, and who owns a card: linking with the owner's proofs, loss by the owner, blocks by staff.</summary>
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

        mutation.Field<NonNullGraphType<LinkCardResultGraphType>>("linkMyCard")
            .Description("The signed-in customer adds a card to their wallet with the secret printed on it (its QR id): both proofs at once, so its " +
                         "anonymous balance is fused into their wallet now. Also how an owner replaces a lost card. Idempotent by key. " +
                         "UNKNOWN_CARD for an unknown secret; CONFLICT when the card is lost, blocked or another user's.")
            .Argument<NonNullGraphType<LinkMyCardInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<LinkMyCardInput>("input");
                var email = c.Caller().CustomerEmail() ?? throw new DomainException(ErrorCodes.Forbidden, "A customer sign-in is needed.");
                var key = IdempotencyScope.ForUser(email, input.IdempotencyKey);
                var qr = input.QrId?.Trim() ?? "";
                var card = (qr.Length is > 0 and <= CardRegistryGrain.MaxQrLength ? await c.Service<CardStore>().FindByQrAsync(qr, c.CancellationToken) : null)
                    ?? throw new DomainException(ErrorCodes.UnknownCard, "No card has this printed secret.");
                return await c.Grains().GetCard(card.Uid).LinkToOwnerAsync(new OwnerLinkRequest(key, email, qr), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardLinkStartedGraphType>>("startCardLink")
            .Description("At a venue's counter (venue CASHIER), for the card read there: mails a confirmation code to the e-mail and moves nothing. " +
                         "The link and the fusion happen when the address's owner brings the code back (confirmCardLink). CONFLICT when the card is " +
                         "already linked, lost or blocked, or the user's wallet already has a card and a balance (its owner links from their account).")
            .Argument<NonNullGraphType<StartCardLinkInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<StartCardLinkInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Cashier);
                var request = new StartCardLinkRequest(IdempotencyScope.ForVenue(venue, input.IdempotencyKey), venue, EmailAddress.Parse(input.Email));
                return await c.Grains().GetCard(CardUid.Parse(input.Uid)).StartLinkAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<LinkCardResultGraphType>>("confirmCardLink")
            .Description("Completes a link started at a counter with the code mailed to the address: the card is linked and its balance fused. " +
                         "Anyone holding the code may send it; a signed-in customer must be the address's owner. The same code again answers as the " +
                         "first time. INVALID_LINK_TOKEN for an unknown or expired code.")
            .Argument<NonNullGraphType<ConfirmCardLinkInputGraphType>>("input")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ConfirmCardLinkInput>("input");
                var request = new ConfirmCardLinkRequest(input.Token ?? "", c.Caller().CustomerEmail());
                return await c.Grains().GetCardRegistry().ConfirmLinkAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardGraphType>>("declareMyCardLost")
            .Description("The signed-in customer declares one of their linked cards lost: it pays nothing more, and its balance stays in their " +
                         "wallet for a new card (linkMyCard). FORBIDDEN for a card that is not linked to them.")
            .Argument<NonNullGraphType<DeclareMyCardLostInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<DeclareMyCardLostInput>("input");
                var email = c.Caller().CustomerEmail() ?? throw new DomainException(ErrorCodes.Forbidden, "A customer sign-in is needed.");
                return await c.Grains().GetCard(CardUid.Parse(input.Uid)).DeclareLostAsync(email, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardGraphType>>("blockCard")
            .Description("Blocks a card (venue CASHIER): it pays nothing at any venue until this venue lifts the block; its money is not moved. " +
                         "Idempotent; CONFLICT when another venue blocked it.")
            .Argument<NonNullGraphType<BlockCardInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<BlockCardInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Cashier);
                return await c.Grains().GetCard(CardUid.Parse(input.Uid)).BlockAsync(new BlockCardRequest(venue, input.Reason ?? ""), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CardGraphType>>("unblockCard")
            .Description("Lifts a block (venue ADMIN of the venue that blocked the card). Idempotent; FORBIDDEN for another venue's block.")
            .Argument<NonNullGraphType<UnblockCardInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UnblockCardInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCard(CardUid.Parse(input.Uid)).UnblockAsync(venue, c.CancellationToken);
            });
    }
}

using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Wallets;

/// <summary>
/// Money movements. Every one takes the client's idempotency key (≤ 255 characters), scoped to the caller's venue (or to
/// the instance admins, see <see cref="IdempotencyScope"/>): the same key returns the first result; the same key with a
/// different request is a CONFLICT. On UNAVAILABLE, retry with the same key.
/// </summary>
public sealed class WalletMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PaymentResultGraphType>>("pay")
            .Description("A sale at a venue's counter, paid by a card (cascade over the venue's accepted assets), a remainder by a second card " +
                         "or cash/bank card. The basket is atomic. Venue CASHIER (devices sell through tap); the cashier card must be a primary card there. " +
                         "The basket's total is at most MoneyLimitsOptions:MaxSale.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("cashierUid")
            .Argument<NonNullGraphType<StringGraphType>>("cardUid")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<BasketLineInputGraphType>>>>("lines")
            .Argument<PaymentMeansGraphType>("complement", "How a remainder is paid: SECOND_CARD, CASH or BANK_CARD. None declines a remainder.")
            .Argument<StringGraphType>("complementCardUid")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireCounterAsync(venue);
                ImmutableArray<SaleLine> lines = [.. c.GetArgument<List<BasketLineInput>>("lines").Select(l => l.ToSaleLine())];
                c.RequireBasketWithinLimit(lines);
                var complementCard = c.GetArgument<string?>("complementCardUid");
                var sale = new SaleRequest(
                    IdempotencyScope.ForVenue(venue, c.GetArgument<string>("idempotencyKey")),
                    venue,
                    CardUid.Parse(c.GetArgument<string>("cashierUid")),
                    lines,
                    c.GetArgument("complement", PaymentMeans.None),
                    complementCard is null ? null : CardUid.Parse(complementCard));
                var card = CardUid.Parse(c.GetArgument<string>("cardUid"));
                // Two doors: a second card starts at the card grain, which reads both cards; one card at its own wallet.
                return sale.NamesSecondCard
                    ? await c.Grains().GetCard(card).PayWithSecondCardAsync(sale, c.CancellationToken)
                    : await (await c.Service<CardWallets>().OwnWalletAsync(card, c.CancellationToken)).PayWithCardAsync(sale, card, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("refill")
            .Description("A top-up at the venue's counter, paid in CASH or by BANK_CARD. Only the issuing venue refills its TLF/TNF; FED is never refilled at a counter. " +
                         "Venue CASHIER (devices top up through tap); at most MoneyLimitsOptions:MaxTopUp.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("cashierUid")
            .Argument<NonNullGraphType<StringGraphType>>("cardUid")
            .Argument<NonNullGraphType<LongGraphType>>("amount", "Cents, > 0.")
            .Argument<NonNullGraphType<PaymentMeansGraphType>>("means")
            .Argument<IdGraphType>("assetId", "Defaults to the venue's TLF.")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireCounterAsync(venue);
                c.RequireWithinLimit(c.GetArgument<long>("amount"), o => o.MaxTopUp, "A top-up");
                var asset = c.GetArgument<string?>("assetId");
                var request = new RefillRequest(
                    IdempotencyScope.ForVenue(venue, c.GetArgument<string>("idempotencyKey")), venue, CardUid.Parse(c.GetArgument<string>("cashierUid")),
                    c.GetArgument<long>("amount"), c.GetArgument<PaymentMeans>("means"), asset is null ? null : AssetId.Parse(asset));
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("cardUid"))).RefillAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<RefundResultGraphType>>("refund")
            .Description("Gives money back at the venue's counter: with an amount, a cash refund; without, a void of everything refundable here " +
                         "(this venue's TLF and TNF, and FED). Local assets are burned; FED becomes owed to the venue. The card must be present: " +
                         "tapped at this venue's till (the till's device sends its UID) or its printed secret given (cardQrId, for a venue CASHIER). " +
                         "CARD_PROOF_REQUIRED otherwise, and nothing is written.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("cashierUid")
            .Argument<StringGraphType>("cardUid", "The UID read by the till's reader; give it, cardQrId, or both.")
            .Argument<StringGraphType>("cardQrId", "The secret printed on the card (its QR code).")
            .Argument<LongGraphType>("amount")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                // The venue's own till device (its reader read the card) or a CASHIER of the venue.
                var isDevice = c.Caller().IsKind(TiBilletClaims.DeviceKind);
                if (isDevice)
                {
                    VenueAccess.RequireDeviceOf(c.Caller(), venue.Value);
                }
                else
                {
                    await c.RequireCounterAsync(venue);
                }

                if (c.GetArgument<long?>("amount") is { } refundAmount)
                {
                    c.RequireWithinLimit(refundAmount, o => o.MaxRefund, "A refund");
                }

                var uidArg = c.GetArgument<string?>("cardUid");
                var qr = c.GetArgument<string?>("cardQrId")?.Trim();
                // A till's device only sends what its reader read: the tap is the proof. Anyone else shows the printed secret.
                var presence = qr is { Length: > 0 } ? CardPresence.Secret(qr)
                    : isDevice && uidArg is not null ? CardPresence.Tap
                    : throw new DomainException(ErrorCodes.CardProofRequired, "The card must be present: tap it at the venue's till or give the secret printed on it.");
                var card = uidArg is not null ? CardUid.Parse(uidArg)
                    : (qr!.Length <= CardRegistryGrain.MaxQrLength ? await c.Service<CardStore>().FindByQrAsync(qr, c.CancellationToken) : null)?.Uid
                      ?? throw new DomainException(ErrorCodes.UnknownCard, "No card has this printed secret.");
                var request = new RefundRequest(
                    IdempotencyScope.ForVenue(venue, c.GetArgument<string>("idempotencyKey")), venue, CardUid.Parse(c.GetArgument<string>("cashierUid")), c.GetArgument<long?>("amount"), presence);
                return await c.Grains().GetCard(card).RefundAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("badge")
            .Description("Records a punch-clock badge (amount 0 of the venue's BDG asset). Venue CASHIER.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<StringGraphType>>("cardUid")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireCounterAsync(venue);
                var request = new BadgeRequest(IdempotencyScope.ForVenue(venue, c.GetArgument<string>("idempotencyKey")), venue, AssetId.Parse(c.GetArgument<string>("assetId")));
                return await c.Grains().GetCard(CardUid.Parse(c.GetArgument<string>("cardUid"))).BadgeAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("grantTime")
            .Description("Grants time currency (TIM) from its mint to a wallet (venue ADMIN of the issuing venue).")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<IdGraphType>>("walletId")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .Argument<NonNullGraphType<LongGraphType>>("amount")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                c.RequireWithinLimit(c.GetArgument<long>("amount"), o => o.MaxTransfer, "A time grant");
                var request = new TimeGrantRequest(IdempotencyScope.ForVenue(venue, c.GetArgument<string>("idempotencyKey")), venue,
                    AssetId.Parse(c.GetArgument<string>("assetId")), c.GetArgument<long>("amount"));
                return await c.Grains().GetWallet(WalletId.Parse(c.GetArgument<string>("walletId"))).GrantTimeAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("transfer")
            .Description("Moves an amount of one asset from a user or card wallet to another wallet (instance admin).")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("fromWalletId")
            .Argument<NonNullGraphType<IdGraphType>>("toWalletId")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .Argument<NonNullGraphType<LongGraphType>>("amount")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c =>
            {
                c.RequireWithinLimit(c.GetArgument<long>("amount"), o => o.MaxTransfer, "A transfer");
                var request = new TransferRequest(IdempotencyScope.ForInstanceAdmin(c.GetArgument<string>("idempotencyKey")), WalletId.Parse(c.GetArgument<string>("toWalletId")),
                    AssetId.Parse(c.GetArgument<string>("assetId")), c.GetArgument<long>("amount"));
                return await c.Grains().GetWallet(WalletId.Parse(c.GetArgument<string>("fromWalletId"))).TransferAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("issue")
            .Description("Creates money in a wallet from the asset's mint (instance admin), e.g. FED bought online.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("walletId")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .Argument<NonNullGraphType<LongGraphType>>("amount")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c =>
            {
                c.RequireWithinLimit(c.GetArgument<long>("amount"), o => o.MaxTransfer, "An issue");
                var request = new IssueRequest(IdempotencyScope.ForInstanceAdmin(c.GetArgument<string>("idempotencyKey")), AssetId.Parse(c.GetArgument<string>("assetId")), c.GetArgument<long>("amount"));
                return await c.Grains().GetWallet(WalletId.Parse(c.GetArgument<string>("walletId"))).IssueAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<MovementResultGraphType>>("correct")
            .Description("A correction: a new movement between a wallet and the asset's mint, with a reason (instance admin). Nothing is edited in place.")
            .Argument<NonNullGraphType<StringGraphType>>("idempotencyKey")
            .Argument<NonNullGraphType<IdGraphType>>("walletId")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .Argument<NonNullGraphType<LongGraphType>>("amount")
            .Argument<NonNullGraphType<BooleanGraphType>>("credit", "true credits the wallet, false debits it.")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c =>
            {
                c.RequireWithinLimit(c.GetArgument<long>("amount"), o => o.MaxTransfer, "A correction");
                var request = new CorrectionRequest(IdempotencyScope.ForInstanceAdmin(c.GetArgument<string>("idempotencyKey")), AssetId.Parse(c.GetArgument<string>("assetId")),
                    c.GetArgument<long>("amount"), c.GetArgument<bool>("credit"), c.GetArgument<string>("reason"));
                return await c.Grains().GetWallet(WalletId.Parse(c.GetArgument<string>("walletId"))).CorrectAsync(request, c.CancellationToken);
            });
    }
}

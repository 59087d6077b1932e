using GraphQL.Types;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Wallets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Memberships;
using TiBillet.GraphQL.Cards;
using TiBillet.GraphQL.Memberships;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.PointOfSale;

public sealed class TapResultGraphType : ObjectGraphType<TapResult>
{
    public TapResultGraphType()
    {
        Description = "What a tap did. A retried tap (same tapId) gets the same result.";
        Field<NonNullGraphType<StringGraphType>>("tapId").Resolve(c => c.Source.TapId);
        Field<NonNullGraphType<TapOutcomeGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field<NonNullGraphType<StringGraphType>>("message").Description("A short text for the reader's display.").Resolve(c => c.Source.Message);
        Field<LongGraphType>("amount").Description("Cents paid (APPROVED), credited (TOPPED_UP) or asked for (DECLINED).").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TapBalanceGraphType>>>>("balances")
            .Description("The card's balances after the tap, among the assets the venue accepts.")
            .Resolve(c => c.Source.Balances.IsDefault ? [] : c.Source.Balances);
        Field<StringGraphType>("cardUid").Description("Null when the UID read is not a valid card UID.").Resolve(c => c.Source.Card?.Value);
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.PointOfSale.Venue.Value);
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Resolve(c => c.Source.PointOfSale.Code);
        Field<NonNullGraphType<StringGraphType>>("readerName").Resolve(c => c.Source.ReaderName);
        Field<DeclineReasonGraphType>("declineReason").Description("Why a DECLINED tap was declined (INSUFFICIENT_FUNDS, CARD_LOST); null otherwise.")
            .Resolve(c => c.Source.DeclineReason == DeclineReason.None ? null : c.Source.DeclineReason);
        Field<NonNullGraphType<LongGraphType>>("shortfall").Description("Cents missing when declined for insufficient funds.").Resolve(c => c.Source.Shortfall);
        Field<CardStateGraphType>("cardState").Description("The card's state, when the tap read it (BALANCE, a lost card).").Resolve(c => c.Source.CardState);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TapTransactionGraphType>>>>("transactions")
            .Description("The card's last movements at this venue, newest first (BALANCE); its movements at other venues are not shown.")
            .Resolve(c => c.Source.Transactions.IsDefault ? [] : c.Source.Transactions);
        Field<IdGraphType>("requestId").Description("The pending request this tap served or was declined for.").Resolve(c => c.Source.RequestId);
        Field<IdGraphType>("operationId").Description("The ledger operation that moved the money.").Resolve(c => c.Source.OperationId);
        Field<GuidGraphType>("orderId").Description("The order a pending order payment was for (APPROVED or DECLINED); null otherwise.").Resolve(c => c.Source.Order);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
        Field<DoorAdmissionGraphType>("door").Description("At a door till: the ticket found, or why none was; null at a counter.").Resolve(c => c.Source.Door);
        Field<MembershipStatusGraphType>("membership")
            .Description("The card holder's membership at this venue, computed now from the purchases (valid until…, expired since…, none); null for an unknown card.")
            .ResolveAsync(async c => c.Source.Card is { } card && await c.Service<CardStore>().FindByUidAsync(card, c.CancellationToken) is { } row
                ? await c.Service<IMembershipChecker>().ForWalletAsync(c.Source.PointOfSale.Venue, MembershipChecker.HolderOf(row), c.CancellationToken)
                : null);
    }
}

using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Till;

/// <summary>Selling from a till's catalog.</summary>
public sealed class TillMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation) =>
        mutation.Field<NonNullGraphType<PaymentResultGraphType>>("sell")
            .Description("Sells a basket of the till's products (venue CASHIER); the till prices it. Paid by a card (a remainder in CASH, by BANK_CARD or "
                         + "a SECOND_CARD), or with no card wholly in CASH or by BANK_CARD. Each line is stored with the ledger operation, in the same "
                         + "transaction. OUT_OF_STOCK when a counted product runs short; the same key replays the first answer. By behaviour: sales, "
                         + "memberships (extend the card holder's membership) and deposit returns mix in one sale; deposits alone go back onto the card or "
                         + "in cash (negative total); TOP_UP lines (one asset) credit the card, paid in CASH or by BANK_CARD; EMPTY_CARD (with cardQrId) and "
                         + "BADGE stand alone. CARD_REQUIRED, BASKET_MIXES_BEHAVIOURS, WRONG_ASSET; totals within MoneyLimitsOptions (MaxTopUp for top-ups).")
            .Argument<NonNullGraphType<SellInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SellInput>("input");
                var pos = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await c.RequireCounterAsync(pos.Venue);
                var user = c.Caller().StaffUserId()!.Value;
                var limits = c.Service<IOptions<MoneyLimitsOptions>>().Value;
                var session = await c.Service<TillDayStore>().OpenSessionOfAsync(pos.Venue, user, c.CancellationToken);
                var request = new TillSellRequest(
                    IdempotencyScope.ForVenue(pos.Venue, input.IdempotencyKey), pos, CardUid.Parse(input.CashierUid), user.ToString(),
                    [.. input.Lines.Select(l => new SellLine(l.ProductId, l.Quantity, l.UnitPrice, l.Label))],
                    input.CardUid is null ? null : CardUid.Parse(input.CardUid), input.Complement ?? PaymentMeans.None,
                    input.SecondCardUid is null ? null : CardUid.Parse(input.SecondCardUid),
                    session?.Id, TableId(input.TableId), input.OrderId, CardQrId: input.CardQrId?.Trim(), MaxSale: limits.MaxSale, MaxTopUp: limits.MaxTopUp,
                    CardPays: input.CardPays ?? true);
                return await c.Service<TillCheckout>().SellAsync(request, c.CancellationToken);
            });

    private static string? TableId(string? table) =>
        table is null ? null : VenueId.TryParse(table, out var id) && id.Value.Length <= 100
            ? id.Value
            : throw new DomainException(ErrorCodes.BadUserInput, "A table id is 1 to 100 characters among a-z, 0-9, '-' and '_'.");
}

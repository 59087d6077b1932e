using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Orders;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.PointOfSale;

namespace TiBillet.GraphQL.Orders;

/// <summary>Tables and orders: venue ADMIN keeps the table plan; venue CASHIER runs orders; VIEWER reads them.</summary>
public sealed class OrderFields : IQueryFields, IMutationFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TableGraphType>>>>("tables")
            .Description("The venue's tables with their open orders and rolled-up status (venue VIEWER).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Viewer);
                return await c.Service<OrderStore>().TablesAsync(venue, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderSummaryGraphType>>>>("takeawayOrders")
            .Description("The venue's open takeaway orders, oldest first (venue VIEWER).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Viewer);
                return await c.Service<OrderStore>().TakeawaysAsync(venue, c.CancellationToken);
            });

        query.Field<NonNullGraphType<OrderGraphType>>("order")
            .Description("An order with its lines (VIEWER of its venue). NOT_FOUND if never opened.")
            .Argument<NonNullGraphType<GuidGraphType>>("id")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var found = await c.Service<OrderStore>().LoadAsync(c.GetArgument<Guid>("id"), c.CancellationToken)
                            ?? throw new DomainException(ErrorCodes.NotFound, "No such order.");
                await c.RequireVenueRoleAsync(new VenueId(found.Order.Venue), VenueRole.Viewer);
                return found.Order;
            });
    }

    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TableGraphType>>("saveTable")
            .Description("Adds a table to the venue's plan, or renames it (venue ADMIN).")
            .Argument<NonNullGraphType<SaveTableInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SaveTableInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetTablePlan(venue).SaveTableAsync(input.TableId, input.Name, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("archiveTable")
            .Description("Takes a table off the plan (venue ADMIN). NOT_FOUND if the venue never had it; CONFLICT while an order is open at it.")
            .Argument<NonNullGraphType<ArchiveTableInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ArchiveTableInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                await c.Grains().GetTablePlan(venue).ArchiveTableAsync(input.TableId, c.CancellationToken);
                return true;
            });

        OrderMutation<OpenOrderInputGraphType, OpenOrderInput>(mutation, "openOrder",
            "Opens an order at a table (opened on the fly if the plan lacks it; CONFLICT if archived) or, without one, a numbered takeaway ticket (venue CASHIER).",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId ?? Guid.CreateVersion7())
                .OpenAsync(new OpenOrderRequest(venue, i.PointOfSaleId, i.TableId), c.CancellationToken));

        OrderMutation<AddOrderLinesInputGraphType, AddOrderLinesInput>(mutation, "addOrderLines",
            "Adds products to an order, priced by its till as sell prices them (venue CASHIER; BAD_USER_INPUT as sell).",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).AddLinesAsync(venue,
                [.. i.Lines.Select(l => new SellLine(l.ProductId, l.Quantity, l.UnitPrice, l.Label))], AddKey(i.IdempotencyKey), c.CancellationToken));

        OrderMutation<OrderLinesInputGraphType, OrderLinesInput>(mutation, "sendOrder",
            "Sends ordered lines to their preparation stations, whose feeds are told (venue CASHIER).",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).SendAsync(venue, Ids(i.LineIds), c.CancellationToken));

        OrderMutation<OrderLinesInputGraphType, OrderLinesInput>(mutation, "markOrderLinesPrepared",
            "Marks sent lines prepared (venue CASHIER; CONFLICT for a line not sent).",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).MarkPreparedAsync(venue, Ids(i.LineIds), c.CancellationToken));

        OrderMutation<OrderLinesInputGraphType, OrderLinesInput>(mutation, "markOrderLinesServed",
            "Marks lines served (venue CASHIER).",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).MarkServedAsync(venue, Ids(i.LineIds), c.CancellationToken));

        OrderMutation<VoidOrderLinesInputGraphType, VoidOrderLinesInput>(mutation, "voidOrderLines",
            "Voids unpaid lines with a reason, before or after preparation (venue CASHIER). ALREADY_PAID for a paid line.",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).VoidLinesAsync(venue, Ids(i.LineIds), i.Reason, c.CancellationToken));

        OrderMutation<TransferOrderInputGraphType, TransferOrderInput>(mutation, "transferOrder",
            "Moves an order, or some of its unpaid lines (to a new order), to another table (venue CASHIER). Returns the order now at that table.",
            i => i.VenueId, (c, venue, i) => c.Grains().GetOrder(i.OrderId).TransferAsync(venue, i.TableId, Ids(i.LineIds), i.NewOrderId ?? Guid.CreateVersion7(), c.CancellationToken));

        mutation.Field<NonNullGraphType<OrderPaymentResultGraphType>>("payOrder")
            .Description("Pays an order's lines (all unpaid ones when none named) or the next of n equal shares, by the means of sell and through it: "
                         + "each line is a sale line of the ledger operation, with the order and its table (venue CASHIER). ALREADY_PAID for a line "
                         + "paid; the same key replays the first answer; after UNAVAILABLE the lines wait for a retry with the same key.")
            .Argument<NonNullGraphType<PayOrderInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PayOrderInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireCounterAsync(venue);
                var user = c.Caller().StaffUserId()!.Value;
                var session = await c.Service<TillDayStore>().OpenSessionOfAsync(venue, user, c.CancellationToken);
                var request = new PayOrderRequest(venue, IdempotencyScope.ForVenue(venue, input.IdempotencyKey), CardUid.Parse(input.CashierUid), user.ToString(),
                    session?.Id, Ids(input.LineIds), input.Shares, input.CardUid is null ? null : CardUid.Parse(input.CardUid),
                    input.Complement ?? PaymentMeans.None, input.SecondCardUid is null ? null : CardUid.Parse(input.SecondCardUid));
                return await c.Grains().GetOrder(input.OrderId).PayAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("requestOrderPayment")
            .Description("Makes an order's payment (its named lines, all unpaid lines, or the next equal share) what the next customer tap at a SALE till "
                         + "pays, replacing any pending request (venue CASHIER). The tap pays through the order as payOrder does, under this key; "
                         + "a declined tap frees the lines and the request waits for another card. CONFLICT at a door; the order's refusals as payOrder's.")
            .Argument<NonNullGraphType<RequestOrderPaymentInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RequestOrderPaymentInput>("input");
                var pos = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await c.RequireCounterAsync(pos.Venue);
                var user = c.Caller().StaffUserId()!.Value;
                var session = await c.Service<TillDayStore>().OpenSessionOfAsync(pos.Venue, user, c.CancellationToken);
                var request = new RequestOrderPaymentRequest(input.OrderId, Ids(input.LineIds), input.Shares,
                    IdempotencyScope.ForVenue(pos.Venue, input.IdempotencyKey), user.ToString(), session?.Id);
                return await c.Grains().GetPointOfSale(pos).RequestOrderPaymentAsync(request, c.CancellationToken);
            });
    }

    private static ImmutableArray<Guid> Ids(List<Guid>? ids) => ids is null ? [] : [.. ids];

    private static string? AddKey(string? key) =>
        key is null ? null : key.Length is > 0 and <= IdempotencyKey.MaxLength ? key
            : throw new DomainException(ErrorCodes.BadUserInput, $"An idempotency key is 1 to {IdempotencyKey.MaxLength} characters.");

    private static void OrderMutation<TInputType, TInput>(
        MutationGraphType mutation, string name, string description, Func<TInput, string> venueOf,
        Func<IResolveFieldContext, VenueId, TInput, Task<Order>> run)
        where TInputType : InputObjectGraphType<TInput> =>
        mutation.Field<NonNullGraphType<OrderGraphType>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<TInput>("input");
                var venue = VenueId.Parse(venueOf(input));
                await c.RequireCounterAsync(venue);
                return await run(c, venue, input);
            });
}

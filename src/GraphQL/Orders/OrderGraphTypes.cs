using GraphQL.Types;
using TiBillet.Grains.Orders;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Orders;

public sealed class OrderLineStatusGraphType : EnumerationGraphType<OrderLineStatus>
{
    public OrderLineStatusGraphType() => Name = "OrderLineStatus";
}

public sealed class OrderStatusGraphType : EnumerationGraphType<OrderStatus>
{
    public OrderStatusGraphType() => Name = "OrderStatus";
}

public sealed class TableStatusGraphType : EnumerationGraphType<TableStatus>
{
    public TableStatusGraphType() => Name = "TableStatus";
}

public sealed class StationEventKindGraphType : EnumerationGraphType<StationEventKind>
{
    public StationEventKindGraphType() => Name = "StationEventKind";
}

public sealed class OrderLineGraphType : ObjectGraphType<OrderLine>
{
    public OrderLineGraphType()
    {
        Name = "OrderLine";
        Description = "A line of an order, priced by the till when it was ordered.";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<GuidGraphType>("productId").Resolve(c => c.Source.Product);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("categoryName").Resolve(c => c.Source.CategoryName);
        Field<StringGraphType>("station").Description("The preparation station its category routes it to.").Resolve(c => c.Source.Station);
        Field<NonNullGraphType<IntGraphType>>("vatRate").Description("Basis points.").Resolve(c => c.Source.VatRate);
        Field<NonNullGraphType<IntGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<LongGraphType>>("unitPrice").Resolve(c => c.Source.UnitPrice);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<OrderLineStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<BooleanGraphType>>("paid").Resolve(c => c.Source.Paid);
        Field<NonNullGraphType<LongGraphType>>("paidAmount").Description("Paid so far (equal shares pay lines in part).").Resolve(c => c.Source.PaidAmount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GuidGraphType>>>>("paidBy")
            .Description("The ledger operations that paid it.").Resolve(c => c.Source.PaidBy.IsDefault ? [] : c.Source.PaidBy);
        Field<StringGraphType>("voidReason").Resolve(c => c.Source.VoidReason);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("orderedAt").Resolve(c => c.Source.OrderedAt);
    }
}

public sealed class OrderSplitGraphType : ObjectGraphType<OrderSplit>
{
    public OrderSplitGraphType()
    {
        Name = "OrderSplit";
        Description = "An equal split under way.";
        Field<NonNullGraphType<IntGraphType>>("shares").Resolve(c => c.Source.Count);
        Field<NonNullGraphType<LongGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<IntGraphType>>("paid").Description("Shares paid.").Resolve(c => c.Source.Paid);
        Field<NonNullGraphType<LongGraphType>>("nextShare").Resolve(c => OrderPlanner.ShareAmount(c.Source.Total, c.Source.Count, c.Source.Paid));
    }
}

public sealed class OrderGraphType : ObjectGraphType<Order>
{
    public OrderGraphType()
    {
        Name = "Order";
        Description = "An order at a table or a numbered takeaway ticket; its status is rolled up from its lines.";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue);
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Resolve(c => c.Source.PointOfSale);
        Field<IdGraphType>("tableId").Resolve(c => c.Source.Table);
        Field<IntGraphType>("ticket").Description("A takeaway order's number.").Resolve(c => c.Source.Ticket);
        Field<NonNullGraphType<OrderStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<LongGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<LongGraphType>>("paid").Resolve(c => c.Source.PaidAmount);
        Field<NonNullGraphType<LongGraphType>>("remaining").Resolve(c => c.Source.Remaining);
        Field<OrderSplitGraphType>("split").Resolve(c => c.Source.Split);
        Field<NonNullGraphType<BooleanGraphType>>("paymentInDoubt")
            .Description("A payment whose outcome is unknown holds its lines: retry it with its idempotency key.")
            .Resolve(c => c.Source.Payments.Any(p => !p.Settled));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("openedAt").Resolve(c => c.Source.OpenedAt);
        Field<DateTimeOffsetGraphType>("closedAt").Resolve(c => c.Source.ClosedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderLineGraphType>>>>("lines").Resolve(c => c.Source.Lines);
    }
}

public sealed class OrderSummaryGraphType : ObjectGraphType<OrderSummary>
{
    public OrderSummaryGraphType()
    {
        Name = "OrderSummary";
        Field<NonNullGraphType<GuidGraphType>>("id").Resolve(c => c.Source.Id);
        Field<IdGraphType>("tableId").Resolve(c => c.Source.Table);
        Field<IntGraphType>("ticket").Resolve(c => c.Source.Ticket);
        Field<NonNullGraphType<OrderStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<LongGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<LongGraphType>>("remaining").Resolve(c => c.Source.Remaining);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("openedAt").Resolve(c => c.Source.OpenedAt);
    }
}

public sealed class TableGraphType : ObjectGraphType<TableDetails>
{
    public TableGraphType()
    {
        Name = "Table";
        Description = "A table of the venue's plan, or opened on the fly; its status is rolled up from its open orders.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<BooleanGraphType>>("fixed").Description("Of the plan (false: opened on the fly).").Resolve(c => c.Source.Fixed);
        Field<NonNullGraphType<TableStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderSummaryGraphType>>>>("orders").Resolve(c => c.Source.Orders);
    }
}

public sealed class OrderPaymentResultGraphType : ObjectGraphType<OrderPaymentResult>
{
    public OrderPaymentResultGraphType()
    {
        Name = "OrderPaymentResult";
        Field<NonNullGraphType<PaymentResultGraphType>>("payment").Description("As sell answers.").Resolve(c => c.Source.Payment);
        Field<NonNullGraphType<OrderGraphType>>("order").Resolve(c => c.Source.Order);
    }
}

public sealed class StationLineGraphType : ObjectGraphType<StationLine>
{
    public StationLineGraphType()
    {
        Name = "StationLine";
        Field<NonNullGraphType<GuidGraphType>>("orderId").Resolve(c => c.Source.Order);
        Field<IdGraphType>("tableId").Resolve(c => c.Source.Table);
        Field<IntGraphType>("ticket").Resolve(c => c.Source.Ticket);
        Field<NonNullGraphType<GuidGraphType>>("lineId").Resolve(c => c.Source.Line);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<IntGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<OrderLineStatusGraphType>>("status").Resolve(c => c.Source.Status);
    }
}

public sealed class StationEventGraphType : ObjectGraphType<StationEvent>
{
    public StationEventGraphType()
    {
        Name = "StationEvent";
        Description = "A preparation station's news: SUBSCRIBED lists what it has to do now; the others the lines that changed.";
        Field<NonNullGraphType<StationEventKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("station").Resolve(c => c.Source.Station);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StationLineGraphType>>>>("lines").Resolve(c => c.Source.Lines);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
    }
}

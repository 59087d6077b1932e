using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.GraphQL.Till;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Orders;

public sealed class SaveTableInput
{
    public string VenueId { get; set; } = "";

    public string TableId { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class ArchiveTableInput
{
    public string VenueId { get; set; } = "";

    public string TableId { get; set; } = "";
}

public sealed class OpenOrderInput
{
    public string VenueId { get; set; } = "";

    public string PointOfSaleId { get; set; } = "";

    public string? TableId { get; set; }

    public Guid? OrderId { get; set; }
}

public sealed class AddOrderLinesInput
{
    public string VenueId { get; set; } = "";

    public Guid OrderId { get; set; }

    public List<SellLineInput> Lines { get; set; } = [];

    public string? IdempotencyKey { get; set; }
}

public sealed class OrderLinesInput
{
    public string VenueId { get; set; } = "";

    public Guid OrderId { get; set; }

    public List<Guid>? LineIds { get; set; }
}

public sealed class VoidOrderLinesInput
{
    public string VenueId { get; set; } = "";

    public Guid OrderId { get; set; }

    public List<Guid> LineIds { get; set; } = [];

    public string Reason { get; set; } = "";
}

public sealed class PayOrderInput
{
    public string IdempotencyKey { get; set; } = "";

    public string VenueId { get; set; } = "";

    public Guid OrderId { get; set; }

    public string CashierUid { get; set; } = "";

    public List<Guid>? LineIds { get; set; }

    public int? Shares { get; set; }

    public string? CardUid { get; set; }

    public PaymentMeans? Complement { get; set; }

    public string? SecondCardUid { get; set; }
}

public sealed class RequestOrderPaymentInput
{
    public string IdempotencyKey { get; set; } = "";

    public string VenueId { get; set; } = "";

    public string PointOfSaleId { get; set; } = "";

    public Guid OrderId { get; set; }

    public List<Guid>? LineIds { get; set; }

    public int? Shares { get; set; }
}

public sealed class TransferOrderInput
{
    public string VenueId { get; set; } = "";

    public Guid OrderId { get; set; }

    public string TableId { get; set; } = "";

    public List<Guid>? LineIds { get; set; }

    public Guid? NewOrderId { get; set; }
}

internal static class OrderInputFields
{
    public static void Venue<T>(this InputObjectGraphType<T> type) =>
        type.Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));

    public static void OrderAndLines<T>(this InputObjectGraphType<T> type, string linesDescription)
    {
        type.Venue();
        type.Field<NonNullGraphType<GuidGraphType>>("orderId");
        type.Field<ListGraphType<NonNullGraphType<GuidGraphType>>>("lineIds").Description(linesDescription);
    }
}

public sealed class SaveTableInputGraphType : InputObjectGraphType<SaveTableInput>
{
    public SaveTableInputGraphType()
    {
        Name = "SaveTableInput";
        this.Venue();
        Field<NonNullGraphType<IdGraphType>>("tableId").Description("a-z, 0-9, '-' and '_' (the id sale lines carry).");
        Field<NonNullGraphType<StringGraphType>>("name");
    }
}

public sealed class ArchiveTableInputGraphType : InputObjectGraphType<ArchiveTableInput>
{
    public ArchiveTableInputGraphType()
    {
        Name = "ArchiveTableInput";
        this.Venue();
        Field<NonNullGraphType<IdGraphType>>("tableId");
    }
}

public sealed class OpenOrderInputGraphType : InputObjectGraphType<OpenOrderInput>
{
    public OpenOrderInputGraphType()
    {
        Name = "OpenOrderInput";
        this.Venue();
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId").Description("The till whose menu prices the order.");
        Field<IdGraphType>("tableId").Description("A table of the plan, or a new one opened on the fly; without it, a numbered takeaway ticket.");
        Field<GuidGraphType>("orderId").Description("The client's id for the new order: opening it again returns it (safe retries).");
    }
}

public sealed class AddOrderLinesInputGraphType : InputObjectGraphType<AddOrderLinesInput>
{
    public AddOrderLinesInputGraphType()
    {
        Name = "AddOrderLinesInput";
        this.Venue();
        Field<NonNullGraphType<GuidGraphType>>("orderId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SellLineInputGraphType>>>>("lines");
        Field<StringGraphType>("idempotencyKey").Description("A retry with the same key adds nothing twice (the order's last 50 keys are kept).");
    }
}

public sealed class OrderLinesInputGraphType : InputObjectGraphType<OrderLinesInput>
{
    public OrderLinesInputGraphType()
    {
        Name = "OrderLinesInput";
        this.OrderAndLines("The lines; none: every line the operation applies to.");
    }
}

public sealed class VoidOrderLinesInputGraphType : InputObjectGraphType<VoidOrderLinesInput>
{
    public VoidOrderLinesInputGraphType()
    {
        Name = "VoidOrderLinesInput";
        this.Venue();
        Field<NonNullGraphType<GuidGraphType>>("orderId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GuidGraphType>>>>("lineIds");
        Field<NonNullGraphType<StringGraphType>>("reason");
    }
}

public sealed class PayOrderInputGraphType : InputObjectGraphType<PayOrderInput>
{
    public PayOrderInputGraphType()
    {
        Name = "PayOrderInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey");
        this.OrderAndLines("The lines to pay; none: every unpaid line (or, with shares, the next equal share).");
        Field<NonNullGraphType<StringGraphType>>("cashierUid").Description("A cashier card of the venue.");
        Field<IntGraphType>("shares").Description("Pay the next of this many equal shares of what is left (2 to 50).");
        Field<StringGraphType>("cardUid").Description("As sell: the paying card; without it CASH or BANK_CARD (complement).");
        Field<PaymentMeansGraphType>("complement");
        Field<StringGraphType>("secondCardUid");
    }
}

public sealed class RequestOrderPaymentInputGraphType : InputObjectGraphType<RequestOrderPaymentInput>
{
    public RequestOrderPaymentInputGraphType()
    {
        Name = "RequestOrderPaymentInput";
        Description = "An order's payment for the next customer tap at a till: named lines, all unpaid lines, or the next equal share.";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("The key of the order's payment: asking again with it while the request waits changes nothing.");
        PointOfSale.PointOfSaleInputFields.AddIds(this);
        Field<NonNullGraphType<GuidGraphType>>("orderId");
        Field<ListGraphType<NonNullGraphType<GuidGraphType>>>("lineIds").Description("The lines to pay; none: every unpaid line (or, with shares, the next equal share).");
        Field<IntGraphType>("shares").Description("Pay the next of this many equal shares of what is left (2 to 50).");
    }
}

public sealed class TransferOrderInputGraphType : InputObjectGraphType<TransferOrderInput>
{
    public TransferOrderInputGraphType()
    {
        Name = "TransferOrderInput";
        this.OrderAndLines("Unpaid lines to move to a new order at the table; none: the whole order moves.");
        Field<NonNullGraphType<IdGraphType>>("tableId");
        Field<GuidGraphType>("newOrderId").Description("The client's id for the new order of moved lines (safe retries).");
    }
}

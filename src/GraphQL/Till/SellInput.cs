using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Till;

/// <summary>One line of a till basket.</summary>
public sealed class SellLineInput
{
    public Guid ProductId { get; set; }

    public int Quantity { get; set; }

    public long? UnitPrice { get; set; }

    public string? Label { get; set; }
}

/// <summary>The <c>sell</c> mutation's input.</summary>
public sealed class SellInput
{
    public string IdempotencyKey { get; set; } = "";

    public string VenueId { get; set; } = "";

    public string PointOfSaleId { get; set; } = "";

    public string CashierUid { get; set; } = "";

    public List<SellLineInput> Lines { get; set; } = [];

    public string? CardUid { get; set; }

    public PaymentMeans? Complement { get; set; }

    public string? SecondCardUid { get; set; }

    public string? TableId { get; set; }

    public Guid? OrderId { get; set; }

    public string? CardQrId { get; set; }

    public bool? CardPays { get; set; }
}

public sealed class SellLineInputGraphType : InputObjectGraphType<SellLineInput>
{
    public SellLineInputGraphType()
    {
        Name = "SellLineInput";
        Description = "A product of the till's menu and a quantity. unitPrice and label only for a FREE_PRICE product: the till prices the others.";
        Field<NonNullGraphType<GuidGraphType>>("productId");
        Field<NonNullGraphType<IntGraphType>>("quantity");
        Field<LongGraphType>("unitPrice").Description("Cents, FREE_PRICE products only.");
        Field<StringGraphType>("label").Description("Free text, FREE_PRICE products only.");
    }
}

public sealed class SellInputGraphType : InputObjectGraphType<SellInput>
{
    public SellInputGraphType()
    {
        Name = "SellInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey");
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<IdGraphType>>("pointOfSaleId");
        Field<NonNullGraphType<StringGraphType>>("cashierUid").Description("A cashier card of the venue.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SellLineInputGraphType>>>>("lines");
        Field<StringGraphType>("cardUid").Description("The paying card; without it the basket is paid wholly in CASH or by BANK_CARD (complement).");
        Field<PaymentMeansGraphType>("complement").Description("With a card: how a remainder is paid (CASH, BANK_CARD or SECOND_CARD). Without: CASH or BANK_CARD.");
        Field<StringGraphType>("secondCardUid");
        Field<StringGraphType>("tableId");
        Field<GuidGraphType>("orderId");
        Field<StringGraphType>("cardQrId").Description("The secret printed on the card: the proof an EMPTY_CARD basket needs, as refund's.");
        Field<BooleanGraphType>("cardPays").Description(
            "Default true. false: the card only names whose membership it is and the whole sale is paid by complement (CASH or BANK_CARD); "
            + "CARD_REQUIRED without a card, BAD_USER_INPUT with another complement or a basket that is not a sale.");
    }
}

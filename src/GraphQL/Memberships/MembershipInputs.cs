using GraphQL.Types;

namespace TiBillet.GraphQL.Memberships;

/// <summary>The <c>createMembershipProduct</c> mutation's input.</summary>
public sealed record CreateMembershipProductInput(string VenueId, string Name, Grains.Memberships.MembershipDuration Duration, long Price, bool? RequiresValidation, string? TimeZone, string? ProductId);

public sealed class CreateMembershipProductInputGraphType : InputObjectGraphType<CreateMembershipProductInput>
{
    public CreateMembershipProductInputGraphType()
    {
        Name = "CreateMembershipProductInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<MembershipDurationGraphType>>("duration");
        Field<NonNullGraphType<LongGraphType>>("price").Description("In cents, 0 or more.");
        Field<BooleanGraphType>("requiresValidation").Description("Purchases count only once a venue ADMIN validated them (default false).");
        Field<StringGraphType>("timeZone").Description("The venue's IANA time zone for calendar units (default Europe/Paris).");
        Field<IdGraphType>("productId").Description("Chosen by the caller to make retries idempotent; a new id by default.");
    }
}

/// <summary>The <c>buyMembership</c> mutation's input.</summary>
public sealed record BuyMembershipInput(string IdempotencyKey, string VenueId, string ProductId, string CashierUid, string CardUid, Grains.Memberships.MembershipChannel Means);

public sealed class BuyMembershipInputGraphType : InputObjectGraphType<BuyMembershipInput>
{
    public BuyMembershipInputGraphType()
    {
        Name = "BuyMembershipInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Scoped to the venue: the same key buys once.");
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<IdGraphType>>("productId");
        Field<NonNullGraphType<StringGraphType>>("cashierUid").Description("A cashier card of the venue.");
        Field<NonNullGraphType<StringGraphType>>("cardUid").Description("The card read at the counter: the membership goes to its holder (its owner once linked).");
        Field<NonNullGraphType<MembershipChannelGraphType>>("means").Description("WALLET (a sale from the card), CASH or BANK_CARD; not ONLINE.");
    }
}

/// <summary>The <c>validateMembership</c> mutation's input.</summary>
public sealed record ValidateMembershipInput(string VenueId, string PurchaseId);

public sealed class ValidateMembershipInputGraphType : InputObjectGraphType<ValidateMembershipInput>
{
    public ValidateMembershipInputGraphType()
    {
        Name = "ValidateMembershipInput";
        Field<NonNullGraphType<IdGraphType>>("venueId");
        Field<NonNullGraphType<IdGraphType>>("purchaseId");
    }
}

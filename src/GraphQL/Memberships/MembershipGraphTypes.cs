using GraphQL.Types;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Memberships;

public sealed class MembershipDurationGraphType : EnumerationGraphType<MembershipDuration>
{
    public MembershipDurationGraphType()
    {
        Name = "MembershipDuration";
        Description = "How long one purchase lasts. MONTH, CALENDAR_MONTH, CALENDAR_YEAR and SCHOOL_YEAR (September to August) follow the product's time zone.";
    }
}

public sealed class MembershipChannelGraphType : EnumerationGraphType<MembershipChannel>
{
    public MembershipChannelGraphType()
    {
        Name = "MembershipChannel";
        Description = "How a membership was paid: from the card's WALLET, in CASH or by BANK_CARD at a counter, or ONLINE.";
    }
}

public sealed class MembershipStateGraphType : EnumerationGraphType<MembershipState>
{
    public MembershipStateGraphType() => Name = "MembershipState";
}

public sealed class MembershipProductGraphType : ObjectGraphType<MembershipProduct>
{
    public MembershipProductGraphType()
    {
        Name = "MembershipProduct";
        Description = "A membership a venue sells.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Value);
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<MembershipDurationGraphType>>("duration").Resolve(c => c.Source.Duration);
        Field<NonNullGraphType<LongGraphType>>("price").Description("In cents.").Resolve(c => c.Source.Price);
        Field<NonNullGraphType<BooleanGraphType>>("requiresValidation").Description("A purchase counts once a venue ADMIN validated it.").Resolve(c => c.Source.RequiresValidation);
        Field<NonNullGraphType<StringGraphType>>("timeZone").Resolve(c => c.Source.TimeZone);
        Field<NonNullGraphType<BooleanGraphType>>("archived").Resolve(c => c.Source.Archived);
    }
}

public sealed class MembershipPurchaseGraphType : ObjectGraphType<MembershipPurchase>
{
    public MembershipPurchaseGraphType()
    {
        Name = "MembershipPurchase";
        Description = "One purchase: the stored fact validity is computed from.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("productId").Resolve(c => c.Source.Product.Value);
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<IdGraphType>>("holderWalletId").Resolve(c => c.Source.Holder.Value);
        Field<StringGraphType>("cardUid").Resolve(c => c.Source.Card?.Value);
        Field<NonNullGraphType<MembershipChannelGraphType>>("channel").Resolve(c => c.Source.Channel);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<IdGraphType>("operationId").Description("The ledger sale, when paid from the card's wallet.").Resolve(c => c.Source.OperationId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt").Resolve(c => c.Source.Period.Start);
        Field<DateTimeOffsetGraphType>("endsAt").Description("Null: lifetime.").Resolve(c => c.Source.Period.End);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("purchasedAt").Resolve(c => c.Source.PurchasedAt);
        Field<DateTimeOffsetGraphType>("validatedAt").Description("Null while awaiting a venue ADMIN.").Resolve(c => c.Source.ValidatedAt);
    }
}

public sealed class MembershipPurchaseResultGraphType : ObjectGraphType<MembershipPurchaseResult>
{
    public MembershipPurchaseResultGraphType()
    {
        Name = "MembershipPurchaseResult";
        Field<NonNullGraphType<BooleanGraphType>>("approved").Resolve(c => c.Source.Approved);
        Field<DeclineReasonGraphType>("reason").Description("Why the card's wallet could not pay; null when approved.")
            .Resolve(c => c.Source.Reason == DeclineReason.None ? null : c.Source.Reason);
        Field<NonNullGraphType<LongGraphType>>("shortfall").Resolve(c => c.Source.Shortfall);
        Field<MembershipPurchaseGraphType>("purchase").Resolve(c => c.Source.Purchase);
    }
}

public sealed class MembershipProductStatusGraphType : ObjectGraphType<MembershipProductStatus>
{
    public MembershipProductStatusGraphType()
    {
        Name = "MembershipProductStatus";
        Field<NonNullGraphType<IdGraphType>>("productId").Resolve(c => c.Source.Product.Value);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<MembershipStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<DateTimeOffsetGraphType>("validUntil").Resolve(c => c.Source.ValidUntil);
        Field<DateTimeOffsetGraphType>("expiredSince").Resolve(c => c.Source.ExpiredSince);
        Field<NonNullGraphType<BooleanGraphType>>("lifetime").Resolve(c => c.Source.Lifetime);
    }
}

public sealed class MembershipStatusGraphType : ObjectGraphType<MembershipStatus>
{
    public MembershipStatusGraphType()
    {
        Name = "Membership";
        Description = "A holder's membership at a venue, computed from the purchases when asked: VALID (until validUntil, or for life), " +
                      "EXPIRED (since expiredSince), PENDING (awaiting a venue ADMIN) or NONE.";
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<MembershipStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<DateTimeOffsetGraphType>("validUntil").Resolve(c => c.Source.ValidUntil);
        Field<DateTimeOffsetGraphType>("expiredSince").Resolve(c => c.Source.ExpiredSince);
        Field<NonNullGraphType<BooleanGraphType>>("lifetime").Resolve(c => c.Source.Lifetime);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MembershipProductStatusGraphType>>>>("products").Resolve(c => c.Source.Products);
    }
}

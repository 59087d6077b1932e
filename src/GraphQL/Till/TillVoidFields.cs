using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Closures;

namespace TiBillet.GraphQL.Till;

/// <summary>The <c>voidSaleLines</c> mutation's input.</summary>
public sealed class VoidSaleLinesInput
{
    public string IdempotencyKey { get; set; } = "";

    public string VenueId { get; set; } = "";

    public List<long> LineIds { get; set; } = [];

    public string Reason { get; set; } = "";
}

public sealed class VoidSaleLinesInputGraphType : InputObjectGraphType<VoidSaleLinesInput>
{
    public VoidSaleLinesInputGraphType()
    {
        Name = "VoidSaleLinesInput";
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey");
        Field<NonNullGraphType<IdGraphType>>("venueId").Validate(v => VenueId.Parse(v?.ToString()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LongGraphType>>>>("lineIds").Description("Sale line ids (tillSaleLines), 1 to 100.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("1 to 500 characters, stored on each void line.");
    }
}

public sealed class VoidedLineGraphType : ObjectGraphType<VoidedLine>
{
    public VoidedLineGraphType()
    {
        Name = "VoidedLine";
        Field<NonNullGraphType<LongGraphType>>("lineId").Resolve(c => c.Source.Line);
        Field<NonNullGraphType<LongGraphType>>("amount").Description("Cents given back.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<SaleLineMeansGraphType>>("means").Resolve(c => c.Source.Means);
        Field<IdGraphType>("assetId").Resolve(c => c.Source.Asset?.Value.ToString());
        Field<StringGraphType>("cardUid").Resolve(c => c.Source.Card?.Value);
        Field<NonNullGraphType<GuidGraphType>>("operationId").Description("The ledger operation that gave it back.").Resolve(c => c.Source.OperationId);
    }
}

public sealed class SaleLineGraphType : ObjectGraphType<StoredSaleLine>
{
    public SaleLineGraphType()
    {
        Name = "SaleLine";
        Field<NonNullGraphType<LongGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<GuidGraphType>>("operationId").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<SaleLineKindGraphType>>("kind").Resolve(c => c.Source.Row.Kind);
        Field<GuidGraphType>("productId").Resolve(c => c.Source.Row.Product);
        Field<NonNullGraphType<StringGraphType>>("productName").Resolve(c => c.Source.Row.ProductName);
        Field<NonNullGraphType<IntGraphType>>("quantity").Resolve(c => c.Source.Row.Quantity);
        Field<NonNullGraphType<LongGraphType>>("unitPrice").Resolve(c => c.Source.Row.UnitPrice);
        Field<NonNullGraphType<LongGraphType>>("amount").Resolve(c => c.Source.Row.Amount);
        Field<NonNullGraphType<SaleLineMeansGraphType>>("means").Resolve(c => c.Source.Row.Means);
        Field<IdGraphType>("assetId").Resolve(c => c.Source.Row.Asset?.Value.ToString());
        Field<StringGraphType>("cardUid").Resolve(c => c.Source.Row.Card?.Value);
        Field<NonNullGraphType<StringGraphType>>("pointOfSaleId").Resolve(c => c.Source.Context.PointOfSale);
        Field<StringGraphType>("tableId").Resolve(c => c.Source.Context.Table);
        Field<LongGraphType>("voidsLineId").Description("A void line: the line it cancels.").Resolve(c => c.Source.Row.VoidsLine);
        Field<StringGraphType>("reason").Resolve(c => c.Source.Row.Reason);
        Field<NonNullGraphType<BooleanGraphType>>("voided").Resolve(c => c.Source.Voided);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(c => c.Source.At);
    }
}

/// <summary>Voids of paid sale lines (venue MANAGER or ADMIN) and the lines of an operation.</summary>
public sealed class TillVoidFields : IQueryFields, IMutationFields
{
    public void AddTo(QueryGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SaleLineGraphType>>>>("tillSaleLines")
            .Description("The sale lines of one ledger operation of the venue (a sell's operationId), with their ids and whether they were voided "
                         + "(venue VIEWER, MANAGER or ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<GuidGraphType>>("operationId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.Service<ReportAccess>().RequireReaderAsync(c.Caller(), venue, c.CancellationToken);
                return await c.Service<SaleLineStore>().OfOperationAsync(venue, c.GetArgument<Guid>("operationId"), c.CancellationToken);
            });

    public void AddTo(MutationGraphType mutation) =>
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<VoidedLineGraphType>>>>("voidSaleLines")
            .Description("Voids paid sale lines with a reason (venue MANAGER or ADMIN): each line's money goes back through the ledger (to the card's wallet, "
                         + "or paid out in cash or by bank card), a void line names it, counted stock is given back; the Z report shows it among the voids. "
                         + "The same key replays. NOT_FOUND (not this venue's line), ALREADY_VOIDED, BAD_USER_INPUT (not a paid sale line, bad reason).")
            .Argument<NonNullGraphType<VoidSaleLinesInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<VoidSaleLinesInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Manager);
                var request = new TillVoidRequest(IdempotencyScope.ForVenue(venue, input.IdempotencyKey), [.. input.LineIds], input.Reason,
                    c.Caller().StaffUserId()!.Value.ToString());
                return await c.Grains().GetTillVoids(venue).VoidAsync(request, c.CancellationToken);
            });
}

using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.PointOfSale;

namespace TiBillet.GraphQL.Catalog;

/// <summary>The till catalog: venue ADMIN changes it; staff of the venue and its tills' devices read it.</summary>
public sealed class CatalogFields : IQueryFields, IMutationFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<CatalogGraphType>>("catalog")
            .Description("The venue's categories and products (venue VIEWER).")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<BooleanGraphType>("includeArchived")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.RequireVenueRoleAsync(venue, VenueRole.Viewer);
                return await c.Grains().GetCatalog(venue).GetAsync(c.GetArgument<bool?>("includeArchived") ?? false, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MenuItemGraphType>>>>("menu")
            .Description("What one till sells, in screen order (venue VIEWER, or this till's device).")
            .PointOfSaleArguments()
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async c =>
            {
                var id = PointOfSaleInputFields.IdFromArguments(c);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(c, id, VenueRole.Viewer);
                return await c.Service<CatalogStore>().MenuAsync(id.Venue, id.Code, null, c.CancellationToken);
            });
    }

    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CategoryGraphType>>("saveCategory")
            .Description("Creates or changes a product category (venue ADMIN). BAD_USER_INPUT for a bad name, VAT rate or station; CONFLICT for another venue's id.")
            .Argument<NonNullGraphType<SaveCategoryInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SaveCategoryInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCatalog(venue).SaveCategoryAsync(
                    new SaveCategoryRequest(input.CategoryId ?? Guid.CreateVersion7(), input.Name, input.VatRate, input.Station), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ProductGraphType>>("saveProduct")
            .Description("Creates or changes a product and the tills that sell it, with their prices and positions (venue ADMIN). "
                         + "NOT_FOUND for a category not of this venue; BAD_USER_INPUT for a bad name, rate, asset or placement.")
            .Argument<NonNullGraphType<SaveProductInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SaveProductInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                var placements = (input.Placements ?? []).Select(p => new Placement(p.PointOfSaleId, p.Price, p.Position)).ToList();
                return await c.Grains().GetCatalog(venue).SaveProductAsync(new SaveProductRequest(
                    input.ProductId ?? Guid.CreateVersion7(), input.CategoryId, input.Name, input.Behaviour, input.VatRate,
                    input.AssetId is null ? null : AssetId.Parse(input.AssetId), input.AllowNegativeStock, [.. placements], input.MembershipProductId), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ProductGraphType>>("archiveProduct")
            .Description("Archives a product (venue ADMIN): no till sells it any more; past sales keep it. NOT_FOUND if not the venue's.")
            .Argument<NonNullGraphType<ArchiveProductInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ArchiveProductInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCatalog(venue).ArchiveProductAsync(input.ProductId, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ProductGraphType>>("setProductStock")
            .Description("Sets a product's stock level, or stops counting it with null (venue ADMIN). BAD_USER_INPUT for a negative level the product does not allow.")
            .Argument<NonNullGraphType<SetProductStockInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SetProductStockInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireVenueRoleAsync(venue, VenueRole.Admin);
                return await c.Grains().GetCatalog(venue).SetStockAsync(input.ProductId, input.Stock, c.CancellationToken);
            });
    }
}

using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Catalog;

/// <summary>
/// Not reentrant: one change at a time per venue, so "check the category, then write the product" cannot interleave with
/// another change. Keeps nothing in memory: its rows are its state.
/// </summary>
public sealed partial class CatalogGrain(CatalogStore store, Memberships.MembershipStore memberships, ILogger<CatalogGrain> logger) : Grain, ICatalogGrain
{
    private VenueId Venue => new(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        VenueId.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<CategoryDetails> SaveCategoryAsync(SaveCategoryRequest request, CancellationToken cancellationToken = default)
    {
        var category = CatalogRules.Check(request);
        await RequireVenueAsync(cancellationToken);
        if (!await store.SaveCategoryAsync(Venue, category, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Conflict, "This category id belongs to another venue.");
        }

        LogCategorySaved(logger, Venue.Value, category.Id);
        return new CategoryDetails(category.Id, Venue, category.Name, category.VatRate, category.Station, false);
    }

    public async Task<ProductDetails> SaveProductAsync(SaveProductRequest request, CancellationToken cancellationToken = default)
    {
        var venue = await RequireVenueAsync(cancellationToken);
        var profile = await GrainFactory.GetVenue(Venue).GetPaymentProfileAsync(cancellationToken);
        var product = CatalogRules.Check(request, venue.Assets, [.. profile.Accepted.Select(a => a.Id)]);
        var categories = await store.CategoriesAsync(Venue, cancellationToken);
        if (!categories.Any(c => c.Id == product.Category && !c.Archived))
        {
            throw new DomainException(ErrorCodes.NotFound, "No such category at this venue.");
        }

        if (product.MembershipProduct is { } membership && !await IsOwnMembershipAsync(membership, cancellationToken))
        {
            throw new DomainException(ErrorCodes.NotFound, "No such active membership product at this venue.");
        }

        if (!await store.SaveProductAsync(Venue, product, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Conflict, "This product id belongs to another venue.");
        }

        LogProductSaved(logger, Venue.Value, product.Id);
        return await ReadAsync(product.Id, cancellationToken);
    }

    private async Task<bool> IsOwnMembershipAsync(Guid membership, CancellationToken cancellationToken) =>
        await memberships.FindProductAsync(new Memberships.MembershipProductId(membership), cancellationToken) is { Archived: false } sold && sold.Venue == Venue;

    public async Task<ProductDetails> ArchiveProductAsync(Guid product, CancellationToken cancellationToken = default)
    {
        if (!await store.SetProductArchivedAsync(Venue, product, true, cancellationToken))
        {
            throw new DomainException(ErrorCodes.NotFound, "No such product at this venue.");
        }

        return await ReadAsync(product, cancellationToken);
    }

    public async Task<ProductDetails> SetStockAsync(Guid product, long? stock, CancellationToken cancellationToken = default)
    {
        var current = await ReadAsync(product, cancellationToken);
        CatalogRules.CheckStock(stock, current.AllowNegativeStock);
        await store.SetStockAsync(Venue, product, stock, cancellationToken);
        return current with { Stock = stock };
    }

    public async Task<CatalogDetails> GetAsync(bool includeArchived, CancellationToken cancellationToken = default) =>
        new(await store.CategoriesAsync(Venue, cancellationToken), await store.ProductsAsync(Venue, includeArchived, null, cancellationToken));

    private Task<VenueDetails> RequireVenueAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetVenue(Venue).GetDetailsAsync(cancellationToken); // NOT_FOUND for an unknown venue

    private async Task<ProductDetails> ReadAsync(Guid product, CancellationToken cancellationToken) =>
        (await store.ProductsAsync(Venue, true, product, cancellationToken)) is [var found]
            ? found
            : throw new DomainException(ErrorCodes.NotFound, "No such product at this venue.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog {Venue}: category {Category} saved")]
    private static partial void LogCategorySaved(ILogger logger, string venue, Guid category);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog {Venue}: product {Product} saved")]
    private static partial void LogProductSaved(ILogger logger, string venue, Guid product);
}


namespace TiBillet.Grains.Catalog;

/// <summary>
/// The catalog of one venue, keyed by its venue id: the single writer of its categories and products (their rows are
/// the state). Reads (lists, a till's menu, a basket's prices) are SQL through <see cref="CatalogStore"/>, never this
/// grain, so a busy till does not funnel through it. NOT_FOUND for an unknown venue.
/// </summary>
[Alias("TiBillet.Grains.Catalog.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes a category. BAD_USER_INPUT for a bad name, VAT rate or station; CONFLICT for another venue's id.</summary>
    [Alias("SaveCategoryAsync")]
    Task<CategoryDetails> SaveCategoryAsync(SaveCategoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or changes a product and its placements (price and position per point of sale). BAD_USER_INPUT as
    /// <see cref="CatalogRules.Check(SaveProductRequest, IReadOnlyCollection{Assets.AssetDetails}, IReadOnlyCollection{Common.AssetId})"/>;
    /// NOT_FOUND for a category that is not one of the venue's active ones; CONFLICT for another venue's product id.
    /// </summary>
    [Alias("SaveProductAsync")]
    Task<ProductDetails> SaveProductAsync(SaveProductRequest request, CancellationToken cancellationToken = default);

    /// <summary>Archives a product (idempotent): no till sells it any more; past sale lines keep their copy. NOT_FOUND if not the venue's.</summary>
    [Alias("ArchiveProductAsync")]
    Task<ProductDetails> ArchiveProductAsync(Guid product, CancellationToken cancellationToken = default);

    /// <summary>Sets a product's stock level (null: not counted). BAD_USER_INPUT for a negative level the product does not allow.</summary>
    [Alias("SetStockAsync")]
    Task<ProductDetails> SetStockAsync(Guid product, long? stock, CancellationToken cancellationToken = default);

    /// <summary>The venue's categories (archived included) and products (archived only when asked).</summary>
    [Alias("GetAsync"), Orleans.Concurrency.ReadOnly]
    Task<CatalogDetails> GetAsync(bool includeArchived, CancellationToken cancellationToken = default);
}

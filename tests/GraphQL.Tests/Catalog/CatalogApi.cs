using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Catalog;

/// <summary>Catalog calls through the API, shared by the catalog, selling and report tests.</summary>
public static class CatalogApi
{
    public const string SaveCategory = "mutation($i: SaveCategoryInput!) { saveCategory(input: $i) { id name vatRate station archived } }";

    public const string SaveProduct =
        "mutation($i: SaveProductInput!) { saveProduct(input: $i) { id categoryId name behaviour vatRate assetId stock allowNegativeStock archived placements { pointOfSaleId price position } } }";

    public const string Menu =
        "query($v: ID!, $p: ID!) { menu(venueId: $v, pointOfSaleId: $p) { productId name behaviour categoryName station vatRate assetId price position stock } }";

    public static async Task<string> CategoryAsync(CashlessNetwork net, string name, int vatRate, string? station = null, string? auth = null) =>
        (await net.Silo.PostAsync(SaveCategory, new { i = new { venueId = net.Venue, name, vatRate, station } }, auth ?? net.Admin))
        .Data()["saveCategory"]!["id"]!.GetValue<string>();

    /// <summary>A product sold on the till "bar" at <paramref name="price"/>; returns its id.</summary>
    public static async Task<string> ProductAsync(CashlessNetwork net, string category, string name, long price, string behaviour = "SALE",
        int? vatRate = null, string? assetId = null, int position = 1, string pointOfSale = "bar")
    {
        var response = await net.Silo.PostAsync(SaveProduct, new
        {
            i = new
            {
                venueId = net.Venue, categoryId = category, name, behaviour, vatRate, assetId,
                placements = new[] { new { pointOfSaleId = pointOfSale, price, position } },
            },
        }, net.Admin);
        return response.Data()["saveProduct"]!["id"]!.GetValue<string>();
    }

    public static async Task<JsonArray> MenuAsync(CashlessNetwork net, string pointOfSale = "bar", string? auth = null) =>
        (await net.Silo.PostAsync(Menu, new { v = net.Venue, p = pointOfSale }, auth ?? net.Admin)).Data()["menu"]!.AsArray();

    public static async Task SetStockAsync(CashlessNetwork net, string product, long? stock) =>
        (await net.Silo.PostAsync("mutation($i: SetProductStockInput!) { setProductStock(input: $i) { stock } }",
            new { i = new { venueId = net.Venue, productId = product, stock } }, net.Admin)).Data();
}

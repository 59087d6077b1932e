using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Till;

/// <summary>Selling through the API, shared by the till and report tests.</summary>
public static class TillApi
{
    public const string Sell =
        "mutation($i: SellInput!) { sell(input: $i) { approved reason total paidByCard paidByComplementCard paidExternally externalMeans shortfall operationId } }";

    public static object Line(string product, int quantity, long? unitPrice = null, string? label = null) => new { productId = product, quantity, unitPrice, label };

    public static Task<GraphQLResponse> SellAsync(CashlessNetwork net, object[] lines, string? card = null, string? complement = null, string? secondCard = null,
        string? key = null, string? auth = null, string? table = null, string pointOfSale = "bar", bool? cardPays = null) =>
        net.Silo.PostAsync(Sell, new
        {
            i = new
            {
                idempotencyKey = key ?? CashlessNetwork.NewKey(), venueId = net.Venue, pointOfSaleId = pointOfSale, cashierUid = net.Cashier, lines,
                cardUid = card, complement, secondCardUid = secondCard, tableId = table, cardPays,
            },
        }, auth ?? net.Admin);
}

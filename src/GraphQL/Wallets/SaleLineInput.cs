namespace TiBillet.GraphQL.Wallets;

public sealed class SaleLineInput
{
    public string Label { get; set; } = "";

    public int Quantity { get; set; }

    public long UnitPrice { get; set; }
}

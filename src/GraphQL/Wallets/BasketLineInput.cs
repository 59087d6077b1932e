using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

/// <summary>
/// One basket line, the same for a sale at the counter (<c>pay</c>) and a till's payment request (<c>requestPayment</c>):
/// <see cref="Quantity"/> × <see cref="UnitPrice"/> cents. Its rules are <see cref="Basket"/>'s, checked by the grains.
/// </summary>
public sealed record BasketLineInput(string Label, int Quantity, long UnitPrice)
{
    public SaleLine ToSaleLine() => new(Label, Quantity, UnitPrice);
}

using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.Wallets;

public sealed class PaymentMeansGraphType : EnumerationGraphType<PaymentMeans>
{
    public PaymentMeansGraphType() => Name = "PaymentMeans";
}

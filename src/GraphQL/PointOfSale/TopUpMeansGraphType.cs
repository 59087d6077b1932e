using GraphQL.Types;
using TiBillet.Grains.Ledger;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>How a customer paid the counter for a top-up.</summary>
public sealed class TopUpMeansGraphType : EnumerationGraphType
{
    public TopUpMeansGraphType()
    {
        Name = "TopUpMeans";
        Description = "How the customer paid the counter for a top-up.";
        Add("CASH", PaymentMeans.Cash);
        Add("BANK_CARD", PaymentMeans.BankCard);
    }
}

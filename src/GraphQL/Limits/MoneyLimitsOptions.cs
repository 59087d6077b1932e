using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
namespace TiBillet.GraphQL.Limits;

/// <summary>
/// The largest amount one operation may move, in cents (section <c>MoneyLimitsOptions</c>): a stolen or mistyped
/// credential cannot move more in one request. Checked before anything runs; over the limit is BAD_USER_INPUT.
/// </summary>
public sealed class MoneyLimitsOptions
{
    /// <summary>One top-up (<c>refill</c>, <c>requestTopUp</c>): 10,000.00 €.</summary>
    public long MaxTopUp { get; set; } = 1_000_000;

    /// <summary>One basket's total (<c>pay</c>, <c>requestPayment</c>): 10,000.00 €.</summary>
    public long MaxSale { get; set; } = 1_000_000;

    /// <summary>One cash refund with an amount (<c>refund</c>): 10,000.00 €.</summary>
    public long MaxRefund { get; set; } = 1_000_000;

    /// <summary>One instance-admin or venue-admin movement (<c>transfer</c>, <c>issue</c>, <c>correct</c>, <c>grantTime</c>): 100,000.00 €.</summary>
    public long MaxTransfer { get; set; } = 10_000_000;
}

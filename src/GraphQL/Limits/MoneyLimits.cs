using GraphQL;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;

namespace TiBillet.GraphQL.Limits;

/// <summary>Checks an operation's amount against <see cref="MoneyLimitsOptions"/> before the resolver calls any grain.</summary>
public static class MoneyLimits
{
    /// <summary>Throws BAD_USER_INPUT when <paramref name="amount"/> exceeds the limit <paramref name="pick"/> selects.</summary>
    public static void RequireWithinLimit(this IResolveFieldContext context, long amount, Func<MoneyLimitsOptions, long> pick, string what)
    {
        var limit = pick(context.Service<IOptions<MoneyLimitsOptions>>().Value);
        if (amount > limit)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"{what} is over the limit of {limit} cents for one operation.");
        }
    }

    /// <summary>As <see cref="RequireWithinLimit"/> for a basket: the sum of quantity × unit price (no overflow: a huge basket is over the limit).</summary>
    public static void RequireBasketWithinLimit(this IResolveFieldContext context, IEnumerable<SaleLine> lines)
    {
        Int128 total = 0;
        foreach (var line in lines)
        {
            total += (Int128)line.Quantity * line.UnitPrice;
        }

        context.RequireWithinLimit(total > long.MaxValue ? long.MaxValue : (long)total, o => o.MaxSale, "The basket's total");
    }
}

using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

/// <summary>How much of each asset a payment takes, and what is left to pay.</summary>
public readonly record struct CascadeAllocation(ImmutableArray<AssetBalance> Parts, long Remainder)
{
    public long Covered => Parts.Sum(p => p.Amount);
}

/// <summary>
/// The spending cascade: take from each asset in the venue's order until the amount is covered. Pure, so it is unit-tested
/// without a cluster.
/// </summary>
public static class SpendingCascade
{
    public static CascadeAllocation Allocate(ImmutableArray<AssetId> order, IReadOnlyDictionary<AssetId, long> balances, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var parts = ImmutableArray.CreateBuilder<AssetBalance>();
        var remaining = amount;
        foreach (var asset in order)
        {
            if (remaining == 0)
            {
                break;
            }

            if (balances.TryGetValue(asset, out var available) && available > 0)
            {
                var take = Math.Min(available, remaining);
                parts.Add(new AssetBalance(asset, take));
                remaining -= take;
            }
        }

        return new CascadeAllocation(parts.ToImmutable(), remaining);
    }
}

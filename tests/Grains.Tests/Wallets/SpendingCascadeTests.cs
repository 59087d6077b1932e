using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>The cascade alone: no cluster.</summary>
public sealed class SpendingCascadeTests
{
    private static readonly AssetId Gift = AssetId.New();
    private static readonly AssetId Euro = AssetId.New();
    private static readonly AssetId Fed = AssetId.Federated;

    [Fact]
    public void Takes_each_asset_in_order_until_covered()
    {
        var result = SpendingCascade.Allocate([Gift, Euro, Fed], new Dictionary<AssetId, long> { [Gift] = 300, [Euro] = 500, [Fed] = 1_000 }, 1_200);
        Assert.Equal([new AssetBalance(Gift, 300), new AssetBalance(Euro, 500), new AssetBalance(Fed, 400)], result.Parts);
        Assert.Equal(0, result.Remainder);
        Assert.Equal(1_200, result.Covered);
    }

    [Fact]
    public void Stops_as_soon_as_the_amount_is_covered()
    {
        var result = SpendingCascade.Allocate([Gift, Euro], new Dictionary<AssetId, long> { [Gift] = 300, [Euro] = 500 }, 200);
        Assert.Equal([new AssetBalance(Gift, 200)], result.Parts);
    }

    [Fact]
    public void Reports_the_remainder_and_skips_empty_unknown_or_unlisted_assets()
    {
        var other = AssetId.New();
        var result = SpendingCascade.Allocate([Gift, Euro, Fed], new Dictionary<AssetId, long> { [Gift] = 0, [Euro] = 100, [other] = 10_000 }, 250);
        Assert.Equal([new AssetBalance(Euro, 100)], result.Parts);
        Assert.Equal(150, result.Remainder);
    }

    [Fact]
    public void Never_takes_from_a_negative_balance()
    {
        var result = SpendingCascade.Allocate([Gift], new Dictionary<AssetId, long> { [Gift] = -5 }, 10);
        Assert.Empty(result.Parts);
        Assert.Equal(10, result.Remainder);
    }

    [Fact]
    public void Rejects_a_negative_amount() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SpendingCascade.Allocate([Gift], new Dictionary<AssetId, long>(), -1));
}

using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>The basket's rules alone (no cluster): the same for a counter sale and a till's payment request.</summary>
public sealed class BasketTests
{
    [Fact]
    public void The_total_is_the_sum_of_quantity_times_unit_price()
    {
        Assert.Equal(2 * 350 + 150, Basket.Total([new SaleLine("Bière", 2, 350), new SaleLine("Café", 1, 150), new SaleLine("Verre", 1, 0)]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_label_is_refused(string label)
    {
        var error = Assert.Throws<DomainException>(() => Basket.Total([new SaleLine(label, 1, 100)]));
        Assert.Equal(ErrorCodes.BadUserInput, error.Code);
    }

    [Fact]
    public void Bounds_are_inclusive()
    {
        var longest = new string('x', Basket.MaxLabelLength);
        Assert.Equal(Basket.MaxQuantity, Basket.Total([new SaleLine(longest, Basket.MaxQuantity, 1)]));
        Assert.Equal(Basket.MaxLines, Basket.Total([.. Enumerable.Repeat(new SaleLine("x", 1, 1), Basket.MaxLines)]));
    }

    [Fact]
    public void Each_rule_outside_its_bounds_is_bad_user_input()
    {
        SaleLine[][] refused =
        [
            [],
            [.. Enumerable.Repeat(new SaleLine("x", 1, 1), Basket.MaxLines + 1)],
            [new SaleLine(new string('x', Basket.MaxLabelLength + 1), 1, 1)],
            [new SaleLine("x", 0, 100)],
            [new SaleLine("x", Basket.MaxQuantity + 1, 1)],
            [new SaleLine("x", 1, -1)],
            [new SaleLine("x", 1, 0)],
            [new SaleLine("x", Basket.MaxQuantity, long.MaxValue / 2)],
        ];

        foreach (var lines in refused)
        {
            var error = Assert.Throws<DomainException>(() => Basket.Total([.. lines]));
            Assert.Equal(ErrorCodes.BadUserInput, error.Code);
        }
    }
}

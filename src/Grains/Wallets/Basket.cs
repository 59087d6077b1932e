using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The one definition of a basket, for a sale at a counter and for a till's payment request alike: 1 to
/// <see cref="MaxLines"/> lines, each with a label of 1 to <see cref="MaxLabelLength"/> characters (not blank: it is
/// what the receipt and the reports show), a quantity of 1 to <see cref="MaxQuantity"/> and a price of 0 or more cents;
/// the total is positive and fits in a <c>long</c>.
/// </summary>
public static class Basket
{
    public const int MaxLines = 200;
    public const int MaxQuantity = 100_000;
    public const int MaxLabelLength = 200;

    /// <summary>The basket's total in cents. BAD_USER_INPUT for a basket outside the rules above.</summary>
    public static long Total(ImmutableArray<SaleLine> lines)
    {
        if (lines.IsDefaultOrEmpty || lines.Length > MaxLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A basket has 1 to {MaxLines} lines.");
        }

        long total = 0;
        foreach (var line in lines)
        {
            if (!IsValid(line))
            {
                throw new DomainException(ErrorCodes.BadUserInput,
                    $"A basket line has a label of 1 to {MaxLabelLength} characters, a quantity of 1 to {MaxQuantity} and a price of 0 or more cents.");
            }

            total = Cents.Add(total, Cents.Multiply(line.Quantity, line.UnitPrice));
        }

        return Cents.RequirePositive(total, "basket total");
    }

    private static bool IsValid(SaleLine line) =>
        line.Quantity is >= 1 and <= MaxQuantity
        && line.UnitPrice >= 0
        && !string.IsNullOrWhiteSpace(line.Label)
        && line.Label.Length <= MaxLabelLength;
}

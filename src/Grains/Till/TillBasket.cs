using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Till;

/// <summary>How a till basket is settled, decided by the behaviours of its products.</summary>
public enum TillBasketKind
{
    /// <summary>Sales, memberships and deposits given back within them: paid as one sale (positive total).</summary>
    Sale = 0,

    /// <summary>Deposits given back and nothing else: onto the card (as the venue's euro), or in cash or by bank card.</summary>
    DepositBack = 1,

    /// <summary>Top-ups of one asset, credited to the card, paid in cash or by bank card.</summary>
    TopUp = 2,

    /// <summary>The card emptied of everything refundable here, with the card's proof.</summary>
    EmptyCard = 3,

    /// <summary>A punch-clock badge: no money.</summary>
    Badge = 4,
}

/// <summary>
/// Which priced lines go together in one basket, and what each kind needs. Pure: testable without a cluster.
/// <list type="bullet">
/// <item>Sales, free prices, memberships and deposit returns mix: one sale whose total is positive. A membership needs a card (whose holder it extends).</item>
/// <item>Deposit returns alone give money back: onto the card, or without one in cash or by bank card.</item>
/// <item>Top-ups mix only with top-ups of the same asset; they need a card and are paid in cash or by bank card.</item>
/// <item>Emptying the card and a badge stand alone, once (quantity 1), with a card.</item>
/// </list>
/// </summary>
public static class TillBasket
{
    /// <summary>
    /// The basket's kind. CARD_REQUIRED when a line needs a card and none is named; BASKET_MIXES_BEHAVIOURS for lines that
    /// do not go together; WRONG_ASSET for top-ups of several assets; BAD_USER_INPUT for a complement the kind does not
    /// take, a second card outside a sale, a quantity other than 1 for emptying or badging, or a sale whose total is not positive.
    /// </summary>
    public static TillBasketKind Classify(IReadOnlyList<PricedLine> lines, bool hasCard, PaymentMeans complement, bool hasSecondCard)
    {
        static bool IsSale(SaleLineKind k) => k is SaleLineKind.Sale or SaleLineKind.Membership or SaleLineKind.DepositReturn;
        var kinds = lines.Select(l => l.Kind).Distinct().ToList();
        TillBasketKind kind;
        if (kinds.All(IsSale))
        {
            kind = kinds is [SaleLineKind.DepositReturn] ? TillBasketKind.DepositBack : TillBasketKind.Sale;
        }
        else if (kinds is [SaleLineKind.TopUp])
        {
            kind = TillBasketKind.TopUp;
        }
        else if (kinds is [SaleLineKind.Refund] && lines.Count == 1)
        {
            kind = TillBasketKind.EmptyCard;
        }
        else if (kinds is [SaleLineKind.Badge] && lines.Count == 1)
        {
            kind = TillBasketKind.Badge;
        }
        else
        {
            throw new DomainException(ErrorCodes.BasketMixesBehaviours,
                "Top-ups, emptying a card and badges each have a basket of their own (top-ups of one asset; one line to empty or badge).");
        }

        var needsCard = kind is TillBasketKind.TopUp or TillBasketKind.EmptyCard or TillBasketKind.Badge
                        || lines.Any(l => l.Kind == SaleLineKind.Membership);
        if (needsCard && !hasCard)
        {
            throw new DomainException(ErrorCodes.CardRequired, "This basket needs the customer's card (cardUid).");
        }

        if (kind != TillBasketKind.Sale && hasSecondCard)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Only a sale is paid with a second card.");
        }

        switch (kind)
        {
            case TillBasketKind.Sale:
                Cents.RequirePositive(BasketPricer.Total(lines), "basket total");
                break;
            case TillBasketKind.DepositBack when hasCard ? complement != PaymentMeans.None : complement is not (PaymentMeans.Cash or PaymentMeans.BankCard):
                throw new DomainException(ErrorCodes.BadUserInput, "A deposit goes back onto the card (no complement), or without a card in CASH or by BANK_CARD.");
            case TillBasketKind.TopUp when complement is not (PaymentMeans.Cash or PaymentMeans.BankCard):
                throw new DomainException(ErrorCodes.BadUserInput, "A top-up is paid in CASH or by BANK_CARD (complement).");
            case TillBasketKind.TopUp when lines.Select(l => l.OnlyAsset).Distinct().Count() > 1:
                throw new DomainException(ErrorCodes.WrongAsset, "A basket tops up one asset.");
            case TillBasketKind.EmptyCard or TillBasketKind.Badge when lines[0].Quantity != 1 || complement != PaymentMeans.None:
                throw new DomainException(ErrorCodes.BadUserInput, "Emptying a card or badging is one line of quantity 1, with no complement.");
        }

        return kind;
    }
}

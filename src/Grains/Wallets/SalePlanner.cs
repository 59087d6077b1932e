using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// What a sale takes from which wallet: the basket's total, the cascade over the venue's spending order, the remainder
/// by a second card, cash or bank card. Pure: the wallet grain gathers the facts (balances, venue, cashier right) and
/// commits what this decides.
/// </summary>
public static class SalePlanner
{
    /// <summary>The sale's total. BAD_USER_INPUT for a basket outside <see cref="Basket"/> or a malformed complement.</summary>
    public static long Total(SaleRequest sale)
    {
        var total = Basket.Total(sale.Lines);
        if (!Enum.IsDefined(sale.Complement) || sale.Complement == PaymentMeans.Online || (sale.Complement == PaymentMeans.SecondCard) != (sale.ComplementCard is not null))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A complement is cash, bank card, or a second card (named).");
        }

        return total;
    }

    /// <summary>
    /// The request as the client sent it: its cards, not the wallets they pay from today. A card linked or lost since pays
    /// from another wallet (or none), and the same key and body must still get the first answer.
    /// </summary>
    public static byte[] Hash(SaleRequest sale, CardUid card, CardUid? complementCard)
    {
        using var hasher = new RequestHasher("sale").Add(card).Add(complementCard)
            .Add(sale.Venue).Add(sale.Cashier).Add(sale.Complement).Add(sale.ComplementCard).Add((long)(sale.Lines.IsDefault ? 0 : sale.Lines.Length));
        foreach (var line in sale.Lines.IsDefault ? [] : sale.Lines)
        {
            hasher.Add(line.Label).Add(line.Quantity).Add(line.UnitPrice);
        }

        return hasher.Finish();
    }

    /// <summary>One wallet pays: the cascade, then cash or bank card for a remainder when the card paid something; else declined.</summary>
    public static WalletPlan<PaymentResult> PlanOneCard(WalletView payer, VenuePaymentProfile profile, SaleRequest sale, CardUid card, long total, DateTimeOffset at)
    {
        var allocation = SpendingCascade.Allocate(profile.SpendingOrder, payer.Balances, total);
        long external = 0;
        if (allocation.Remainder > 0)
        {
            if (sale.Complement is PaymentMeans.Cash or PaymentMeans.BankCard && !allocation.Parts.IsEmpty)
            {
                external = allocation.Remainder;
            }
            else
            {
                return WalletPlan<PaymentResult>.Decline(new PaymentResult(false, DeclineReason.InsufficientFunds, total, 0, 0, 0, PaymentMeans.None,
                    allocation.Remainder, [], WalletPlans.Snapshot(payer.Balances), null, at));
            }
        }

        var lines = allocation.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, payer.Id, profile.Wallet)).ToImmutableArray();
        var opId = Guid.CreateVersion7();
        var means = external > 0 ? sale.Complement : PaymentMeans.None;
        var result = new PaymentResult(true, DeclineReason.None, total, allocation.Covered, 0, external, means, 0,
            WalletPlans.Movements(lines), WalletPlans.BalancesAfter(payer.Balances, payer.Id, lines), opId, at);
        return WalletPlan<PaymentResult>.Submit(new PlannedOperation(opId, TransactionKind.Sale, lines, sale.Venue, card, external, means), result);
    }

    /// <summary>Two wallets pay: the paying card's wallet first, the second card's wallet for the remainder; declined if both together fall short.</summary>
    public static WalletPlan<PaymentResult> PlanTwoCards(WalletView primary, WalletView complement, VenuePaymentProfile profile, SaleRequest sale, CardUid card,
        long total, DateTimeOffset at)
    {
        var first = SpendingCascade.Allocate(profile.SpendingOrder, primary.Balances, total);
        var second = SpendingCascade.Allocate(profile.SpendingOrder, complement.Balances, first.Remainder);
        if (second.Remainder > 0)
        {
            return WalletPlan<PaymentResult>.Decline(new PaymentResult(false, DeclineReason.InsufficientFunds, total, 0, 0, 0, PaymentMeans.None,
                second.Remainder, [], WalletPlans.Snapshot(primary.Balances), null, at));
        }

        var lines = first.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, primary.Id, profile.Wallet))
            .Concat(second.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, complement.Id, profile.Wallet)))
            .ToImmutableArray();
        var opId = Guid.CreateVersion7();
        var means = second.Covered > 0 ? PaymentMeans.SecondCard : PaymentMeans.None;
        var result = new PaymentResult(true, DeclineReason.None, total, first.Covered, second.Covered, 0, means, 0,
            WalletPlans.Movements(lines), WalletPlans.BalancesAfter(primary.Balances, primary.Id, lines), opId, at);
        return WalletPlan<PaymentResult>.Submit(new PlannedOperation(opId, TransactionKind.Sale, lines, sale.Venue, card, 0, means), result);
    }
}

using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// Sales paid online from a customer's own wallet (tickets), and their return: the venue's spending order, no cashier,
/// no card. Pure, as the other planners.
/// </summary>
public static class OnlineSalePlanner
{
    public static byte[] SaleHash(WalletId wallet, OnlineSaleRequest request)
    {
        using var hasher = new RequestHasher("online-sale").Add(wallet).Add(request.Venue).Add((long)request.Lines.Length);
        foreach (var line in request.Lines)
        {
            hasher.Add(line.Label).Add(line.Quantity).Add(line.UnitPrice);
        }

        return hasher.Finish();
    }

    public static WalletPlan<PaymentResult> PlanSale(WalletView payer, WalletKind? kind, VenuePaymentProfile profile, OnlineSaleRequest request, long total, DateTimeOffset at)
    {
        if (kind != WalletKind.User)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Online sales are paid from a customer's wallet.");
        }

        var allocation = SpendingCascade.Allocate(profile.SpendingOrder, payer.Balances, total);
        if (allocation.Remainder > 0)
        {
            return WalletPlan<PaymentResult>.Decline(new PaymentResult(false, DeclineReason.InsufficientFunds, total, 0, 0, 0, PaymentMeans.None,
                allocation.Remainder, [], WalletPlans.Snapshot(payer.Balances), null, at));
        }

        var lines = allocation.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, payer.Id, profile.Wallet)).ToImmutableArray();
        var opId = Guid.CreateVersion7();
        var result = new PaymentResult(true, DeclineReason.None, total, total, 0, 0, PaymentMeans.None, 0,
            WalletPlans.Movements(lines), WalletPlans.BalancesAfter(payer.Balances, payer.Id, lines), opId, at);
        return WalletPlan<PaymentResult>.Submit(new PlannedOperation(opId, TransactionKind.QrSale, lines, request.Venue, null), result);
    }

    /// <summary>BAD_USER_INPUT unless every movement went from this wallet to the venue; the request's hash.</summary>
    public static byte[] CheckReturn(WalletId wallet, SaleReturnRequest request)
    {
        if (request.Paid.IsDefaultOrEmpty || request.Paid.Any(m => m.From != wallet || m.To != WalletId.OfVenue(request.Venue) || m.Amount <= 0))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A sale is given back as it was paid: from this wallet to the venue.");
        }

        using var hasher = new RequestHasher("sale-return").Add(wallet).Add(request.Venue).Add((long)request.Paid.Length);
        foreach (var m in request.Paid)
        {
            hasher.Add(m.Asset.Value.ToString()).Add(m.Amount);
        }

        return hasher.Finish();
    }

    /// <summary>
    /// The venue's wallet is debited as a delta in the batch; its stored balance may not go below zero, so a venue that has
    /// already paid out the money is refused by the database rather than overdrawn.
    /// </summary>
    public static WalletPlan<MovementResult> PlanReturn(WalletView wallet, SaleReturnRequest request, DateTimeOffset at) =>
        WalletPlans.Movement(wallet, TransactionKind.Refund, [.. request.Paid.Select(m => new LedgerLine(m.Asset, m.Amount, m.To, wallet.Id))], request.Venue, null, at);
}

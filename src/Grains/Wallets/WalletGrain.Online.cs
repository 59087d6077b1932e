using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

// Online sales (tickets paid from the customer's wallet) and their refunds: the same single writer, idempotency and
// commit path as a counter sale, without a cashier card.
public sealed partial class WalletGrain
{
    public Task<PaymentResult> PayOnlineAsync(OnlineSaleRequest request, CancellationToken cancellationToken = default)
    {
        var total = Basket.Total(request.Lines);
        using var hasher = new RequestHasher("online-sale").Add(_id).Add(request.Venue).Add((long)request.Lines.Length);
        foreach (var line in request.Lines)
        {
            hasher.Add(line.Label).Add(line.Quantity).Add(line.UnitPrice);
        }

        var hash = hasher.Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            if (_kind != WalletKind.User)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Online sales are paid from a customer's wallet.");
            }

            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            var at = DateTimeOffset.UtcNow;
            var payer = View;
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
        }, cancellationToken);
    }

    public Task<MovementResult> TakeBackSaleAsync(SaleReturnRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Paid.IsDefaultOrEmpty || request.Paid.Any(m => m.From != _id || m.To != WalletId.OfVenue(request.Venue) || m.Amount <= 0))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A sale is given back as it was paid: from this wallet to the venue.");
        }

        using var hasher = new RequestHasher("sale-return").Add(_id).Add(request.Venue).Add((long)request.Paid.Length);
        foreach (var m in request.Paid)
        {
            hasher.Add(m.Asset.Value.ToString()).Add(m.Amount);
        }

        // A till's void: its lines, so the same key with other lines is a conflict (nothing added without, old hashes stay).
        foreach (var row in request.Till?.Rows ?? [])
        {
            hasher.Add(row.VoidsLine).Add(row.Amount);
        }

        var hash = hasher.Finish();
        return RunAsync(request.Key, hash, () =>
        {
            // The venue's wallet is debited as a delta in the batch; its stored balance may not go below zero, so a venue that
            // has already paid out the money is refused by the database rather than overdrawn.
            var lines = request.Paid.Select(m => new LedgerLine(m.Asset, m.Amount, m.To, _id)).ToImmutableArray();
            var plan = WalletPlans.Movement(View, TransactionKind.Refund, lines, request.Venue, null, DateTimeOffset.UtcNow);
            return Task.FromResult(request.Till is { } till ? plan with { Operation = plan.Operation! with { Till = till } } : plan);
        }, cancellationToken);
    }
}

using System.Collections.Immutable;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Orders;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

// A table's bill paid by a tap: the pending payment names an order, and the tap pays it through the order grain, which stays
// the single writer of what is paid (its lines, its sale lines, its idempotency). This till only holds the request.
public sealed partial class PointOfSaleGrain
{
    public async Task<PointOfSaleDetails> RequestOrderPaymentAsync(RequestOrderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var current = RequireSale(Current);
        if (current.Pending is { Order: { } waiting } && waiting.Key == request.Key)
        {
            return current; // a retried request: the one waiting stays as it is
        }

        var order = await GrainFactory.GetOrder(request.Order).GetAsync(_id.Venue, cancellationToken); // NOT_FOUND for another venue's
        if (order.Payments.Any(p => p.Key == request.Key.Value))
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a payment of this order.");
        }

        var named = request.Lines.IsDefault ? [] : request.Lines;
        // The same plan the order grain makes when the tap pays, so a refusal (ALREADY_PAID, a payment in doubt…) comes now.
        var (planned, _) = OrderPlanner.PlanPayment(order, [.. named], request.Shares, request.Key.Value, "");
        // Fixed now: the tap pays what the screen showed, never a line added meanwhile.
        var lines = request.Shares is null ? planned.Parts.Select(p => p.Line).ToImmutableArray() : [];
        var part = new PendingOrderPayment(order.Id, lines, request.Shares, request.Key, request.CashierUser, request.Session, order.Table);
        var pending = new PendingRequest(Guid.CreateVersion7(), PendingRequestKind.Payment, Shown(order, planned), planned.Amount, PaymentMeans.None,
            DateTimeOffset.UtcNow, part);
        var details = current with { Pending = pending };
        await WriteAsync(details, state.State.RecentTaps);
        LogRequested(logger, _id.Key, pending.Kind, pending.Amount);
        Notify(new PaymentRequested(details, pending.RequestedAt, pending));
        return details;
    }

    private async Task<(TapResult, PointOfSaleDetails)> PayOrderAsync(
        PointOfSaleDetails current, Tap tap, CardUid card, CardUid cashier, PendingRequest payment, PendingOrderPayment part, CancellationToken cancellationToken)
    {
        var request = new PayOrderRequest(_id.Venue, part.Key, cashier, part.CashierUser, part.Session, part.Lines, part.Shares, card, PaymentMeans.None, null);
        var paid = (await GrainFactory.GetOrder(part.Order).PayAsync(request, cancellationToken)).Payment;
        var balances = await NameBalancesAsync(paid.Balances, cancellationToken);
        if (paid.Approved)
        {
            var approved = Result(tap, TapOutcome.Approved, $"Paid {Cents.Format(paid.Total)}.") with
            {
                Amount = paid.Total, Balances = balances, RequestId = payment.Id, OperationId = paid.OperationId, Order = part.Order,
            };
            return (approved, current with { Pending = null });
        }

        // The order grain dropped the attempt: the lines are free again and the request waits for another card.
        var declined = Result(tap, TapOutcome.Declined, DeclineMessage(paid)) with
        {
            Amount = payment.Amount, Balances = balances, DeclineReason = paid.Reason, Shortfall = paid.Shortfall, RequestId = payment.Id,
            Order = part.Order,
        };
        return (declined, current);
    }

    // What the screens show of the request: whole lines as ordered, a part of a line (a share) as its amount.
    private static ImmutableArray<SaleLine> Shown(Order order, OrderPayment planned)
    {
        var byId = order.Lines.ToDictionary(l => l.Id);
        return [.. planned.Parts.Select(p => byId[p.Line] is var l && p.Amount == l.Amount && p.Quantity == l.Quantity
            ? new SaleLine(l.Name, l.Quantity, l.UnitPrice)
            : new SaleLine(l.Name + " (part)", 1, p.Amount))];
    }
}

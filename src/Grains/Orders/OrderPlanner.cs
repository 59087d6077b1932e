using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Orders;

/// <summary>
/// The rules of an order, decided without a cluster: adding lines, moving them through preparation, voiding unpaid ones,
/// planning a payment (by lines or by an equal share), settling it, transfers, and the status roll-ups. The order grain is
/// the single writer that applies them.
/// </summary>
public static class OrderPlanner
{
    /// <summary>Lines an order may hold (a basket's limit: the whole order can be paid in one sale).</summary>
    public const int MaxLines = Basket.MaxLines;

    /// <summary>Payments an order may record; keeps its stored document bounded.</summary>
    public const int MaxPayments = 100;

    /// <summary>The most equal shares one bill is split into.</summary>
    public const int MaxShares = 50;

    public const int MaxReasonLength = 200;

    public static Order Open(Guid id, VenueId venue, string pointOfSale, string? table, int? ticket, DateTimeOffset now) =>
        new(id, venue.Value, pointOfSale, table, ticket, OrderStatus.Open, now, null, [], [], null);

    /// <summary>Client keys of adds an order remembers (a retry comes soon after its first try).</summary>
    public const int MaxAddKeys = 50;

    /// <summary>True when an add under <paramref name="key"/> was already applied: a retry adds nothing.</summary>
    public static bool AlreadyAdded(Order order, string? key) => key is not null && order.AddKeys.Contains(key);

    /// <summary>
    /// Adds lines priced by the till, remembering the client's <paramref name="key"/> if any. CONFLICT on a closed order;
    /// BAD_USER_INPUT past <see cref="MaxLines"/>.
    /// </summary>
    public static Order AddLines(Order order, IReadOnlyList<PricedLine> priced, DateTimeOffset now, Func<Guid> newId, string? key = null)
    {
        RequireOpen(order);
        var keys = order.AddKeys;
        if (key is not null)
        {
            keys = keys.Add(key);
            keys = keys.Length > MaxAddKeys ? keys.RemoveAt(0) : keys;
        }

        if (order.Lines.Length + priced.Count > MaxLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"An order holds at most {MaxLines} lines.");
        }

        var added = priced.Select(p => new OrderLine(newId(), p.Kind, p.Product, p.Name, p.Category, p.CategoryName, p.VatRate, p.Quantity, p.UnitPrice,
            p.OnlyAsset?.Value, p.Station, OrderLineStatus.Ordered, 0, [], null, now));
        return Rolled(order with { Lines = order.Lines.AddRange(added), Split = null, AddKeys = keys }, now);
    }

    /// <summary>Sends ordered lines (all of them when <paramref name="lines"/> is empty) to preparation; lines already sent are left as they are.</summary>
    public static (Order Order, ImmutableArray<OrderLine> Changed) Send(Order order, IReadOnlyCollection<Guid> lines, DateTimeOffset now) =>
        Move(order, lines, l => l.Status == OrderLineStatus.Ordered, OrderLineStatus.Sent, _ => false, now);

    /// <summary>Marks sent lines prepared (all sent lines when empty). CONFLICT for a line not sent yet.</summary>
    public static (Order Order, ImmutableArray<OrderLine> Changed) MarkPrepared(Order order, IReadOnlyCollection<Guid> lines, DateTimeOffset now) =>
        Move(order, lines, l => l.Status == OrderLineStatus.Sent, OrderLineStatus.Prepared, l => l.Status == OrderLineStatus.Ordered, now);

    /// <summary>Marks lines served, from any stage (a drink poured at the counter is served unsent); all unserved lines when empty.</summary>
    public static (Order Order, ImmutableArray<OrderLine> Changed) MarkServed(Order order, IReadOnlyCollection<Guid> lines, DateTimeOffset now) =>
        Move(order, lines, l => l.Status is OrderLineStatus.Ordered or OrderLineStatus.Sent or OrderLineStatus.Prepared, OrderLineStatus.Served, _ => false, now);

    /// <summary>
    /// Voids unpaid lines with a reason (before or after preparation). ALREADY_PAID for a line paid even in part (voiding
    /// paid lines re-credits money: another flow); CONFLICT while a payment of the line is in doubt.
    /// </summary>
    public static (Order Order, ImmutableArray<OrderLine> Changed) Void(Order order, IReadOnlyCollection<Guid> lines, string reason, DateTimeOffset now)
    {
        RequireOpen(order);
        reason = reason.Trim();
        if (lines.Count == 0 || reason.Length is 0 or > MaxReasonLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"Name the lines to void and give a reason of 1 to {MaxReasonLength} characters.");
        }

        var locked = Locked(order);
        var named = Named(order, lines);
        if (named.Any(l => l.PaidAmount != 0))
        {
            throw new DomainException(ErrorCodes.AlreadyPaid, "A line is already paid: voiding a paid line is a refund.");
        }

        if (named.Any(l => locked.Contains(l.Id)))
        {
            throw new DomainException(ErrorCodes.Conflict, "A payment of this line is in doubt; retry it with its idempotency key first.");
        }

        var changed = named.Where(l => l.Live).Select(l => l with { Status = OrderLineStatus.Voided, VoidReason = reason }).ToImmutableArray();
        return (Rolled(Replace(order, changed) with { Split = null }, now), changed);
    }

    /// <summary>
    /// Plans a payment under <paramref name="key"/>: the named lines' unpaid amounts (all unpaid lines when none are named), or
    /// the next of <paramref name="shares"/> equal shares of what is left. Returns the pending payment and the split it belongs
    /// to. ALREADY_PAID for a line (or an order) already paid; CONFLICT while another payment is in doubt, for a voided line,
    /// or for a share count other than the split under way; BAD_USER_INPUT for a share count out of range, lines named with
    /// shares, or a total that is not positive; NOT_FOUND for a line not of this order.
    /// </summary>
    public static (OrderPayment Payment, OrderSplit? Split) PlanPayment(Order order, IReadOnlyCollection<Guid> lines, int? shares, string key, string fingerprint)
    {
        if (order.Status == OrderStatus.Cancelled)
        {
            throw new DomainException(ErrorCodes.Conflict, "This order was cancelled.");
        }

        if (order.Payments.Any(p => !p.Settled))
        {
            throw new DomainException(ErrorCodes.Conflict, "A payment of this order is in doubt; retry it with its idempotency key first.");
        }

        if (order.Payments.Length >= MaxPayments)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"An order takes at most {MaxPayments} payments.");
        }

        if (shares is null)
        {
            var targets = lines.Count == 0 ? [.. order.Lines.Where(l => l.Unpaid != 0)] : Named(order, lines);
            if (targets.Any(l => !l.Live))
            {
                throw new DomainException(ErrorCodes.Conflict, "A voided line is not paid.");
            }

            if (targets.Count == 0 || targets.Any(l => l.Paid))
            {
                throw new DomainException(ErrorCodes.AlreadyPaid, lines.Count == 0 ? "Everything of this order is paid." : "A line is already paid.");
            }

            var parts = targets.Select(l => new OrderPaymentPart(l.Id, l.Unpaid, l.Quantity)).ToImmutableArray();
            Cents.RequirePositive(parts.Sum(p => p.Amount), "payment");
            return (new OrderPayment(key, fingerprint, parts, false, null, null), null);
        }

        if (lines.Count != 0 || shares is < 2 or > MaxShares)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"An equal split is 2 to {MaxShares} shares of the whole order, naming no lines.");
        }

        var remaining = order.Remaining;
        if (remaining <= 0)
        {
            throw new DomainException(ErrorCodes.AlreadyPaid, "Everything of this order is paid.");
        }

        var split = order.Split;
        if (split is { Paid: > 0 } && split.Count != shares)
        {
            throw new DomainException(ErrorCodes.Conflict, $"A split in {split.Count} shares is under way.");
        }

        if (split is null || split.Count != shares)
        {
            if (remaining < shares)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Too little is left to split in that many shares.");
            }

            split = new OrderSplit(shares.Value, remaining, 0);
        }

        var share = ShareAmount(split.Total, split.Count, split.Paid);
        return (new OrderPayment(key, fingerprint, Fill(order, share), false, null, split.Paid), split);
    }

    /// <summary>
    /// Share <paramref name="index"/> (from 0) of <paramref name="total"/> in <paramref name="count"/> equal shares: the
    /// first <c>total % count</c> shares carry one cent more, so the shares sum exactly to the total.
    /// </summary>
    public static long ShareAmount(long total, int count, int index) => total / count + (index < total % count ? 1 : 0);

    /// <summary>Records a pending payment (and the split it belongs to) before the money moves.</summary>
    public static Order Begin(Order order, OrderPayment payment, OrderSplit? split) =>
        order with { Payments = order.Payments.Add(payment), Split = payment.Share is null ? null : split };

    /// <summary>Forgets a payment that was declined or refused: its lines are free again.</summary>
    public static Order Drop(Order order, string key) =>
        order with { Payments = order.Payments.RemoveAll(p => p.Key == key && !p.Settled) };

    /// <summary>Settles an approved payment: its lines' paid amounts grow, each names <paramref name="operation"/>; the split moves on.</summary>
    public static Order Settle(Order order, string key, Guid operation, DateTimeOffset now)
    {
        var payment = order.Payments.Single(p => p.Key == key);
        if (payment.Settled)
        {
            return order;
        }

        var lines = order.Lines.Select(l =>
            payment.Parts.FirstOrDefault(p => p.Line == l.Id) is { } part
                ? l with { PaidAmount = l.PaidAmount + part.Amount, PaidBy = l.PaidBy.Add(operation) }
                : l).ToImmutableArray();
        var split = payment.Share is null || order.Split is null ? null
            : order.Split.Paid + 1 >= order.Split.Count ? null : order.Split with { Paid = order.Split.Paid + 1 };
        var settled = order.Payments.Replace(payment, payment with { Settled = true, Operation = operation });
        return Rolled(order with { Lines = lines, Payments = settled, Split = split }, now);
    }

    /// <summary>The till lines a payment sells: each part with its line's catalog copy; partial parts carry their amount.</summary>
    public static ImmutableArray<PricedLine> PricedFor(Order order, OrderPayment payment)
    {
        var byId = order.Lines.ToDictionary(l => l.Id);
        var priced = payment.Parts.Select(p =>
        {
            var l = byId[p.Line];
            var whole = p.Quantity == l.Quantity && p.Amount == l.Amount;
            return new PricedLine(l.Kind, l.Product, l.Name, l.Category, l.CategoryName, l.VatRate, p.Quantity, l.UnitPrice,
                l.OnlyAsset is { } a ? new AssetId(a) : null, l.Station, whole ? null : p.Amount);
        }).ToImmutableArray();
        if (priced.Where(l => l.Kind == SaleLineKind.Sale).Select(l => l.OnlyAsset).Distinct().Count() > 1)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Products payable only in one asset are paid on their own: pay them by lines.");
        }

        return priced;
    }

    /// <summary>
    /// Takes lines out of an order for a transfer to another table: they must be live and unpaid, with no payment in
    /// doubt. Returns the order without them and the lines as they move.
    /// </summary>
    public static (Order Order, ImmutableArray<OrderLine> Moved) TakeLines(Order order, IReadOnlyCollection<Guid> lines, DateTimeOffset now)
    {
        RequireOpen(order);
        var named = Named(order, lines);
        if (named.Any(l => !l.Live))
        {
            throw new DomainException(ErrorCodes.Conflict, "A voided line is not transferred.");
        }

        if (named.Any(l => l.PaidAmount != 0 || Locked(order).Contains(l.Id)))
        {
            throw new DomainException(ErrorCodes.AlreadyPaid, "A line paid (even in part) stays with its order.");
        }

        var ids = named.Select(l => l.Id).ToHashSet();
        return (Rolled(order with { Lines = order.Lines.RemoveAll(l => ids.Contains(l.Id)), Split = null }, now), [.. named]);
    }

    /// <summary>Receives transferred lines (once: lines it holds already are not added twice).</summary>
    public static Order Receive(Order order, IReadOnlyList<OrderLine> lines, DateTimeOffset now)
    {
        RequireOpen(order);
        var fresh = lines.Where(l => order.Lines.All(o => o.Id != l.Id)).ToList();
        if (order.Lines.Length + fresh.Count > MaxLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"An order holds at most {MaxLines} lines.");
        }

        return Rolled(order with { Lines = order.Lines.AddRange(fresh), Split = null }, now);
    }

    /// <summary>
    /// An order's status from its lines: a line being prepared wins, then lines ready to serve, then lines not yet sent;
    /// with everything served, TO_PAY while something is unpaid, else CLOSED. No line: OPEN; every line voided: CANCELLED.
    /// </summary>
    public static OrderStatus StatusOf(IReadOnlyCollection<OrderLine> lines)
    {
        var live = lines.Where(l => l.Live).ToList();
        return lines.Count == 0 ? OrderStatus.Open
            : live.Count == 0 ? OrderStatus.Cancelled
            : live.Any(l => l.Status == OrderLineStatus.Sent) ? OrderStatus.InPreparation
            : live.Any(l => l.Status == OrderLineStatus.Prepared) ? OrderStatus.Ready
            : live.Any(l => l.Status == OrderLineStatus.Ordered) ? OrderStatus.Open
            : live.Any(l => !l.Paid) ? OrderStatus.ToPay
            : OrderStatus.Closed;
    }

    /// <summary>
    /// A table's status from its open orders' statuses: FREE without one; else the most pressing of READY (to serve),
    /// WAITING (in preparation), TO_PAY, OCCUPIED (ordering).
    /// </summary>
    public static TableStatus TableStatusOf(IEnumerable<OrderStatus> openOrders)
    {
        var statuses = openOrders.Where(s => s is not (OrderStatus.Closed or OrderStatus.Cancelled)).ToList();
        return statuses.Count == 0 ? TableStatus.Free
            : statuses.Contains(OrderStatus.Ready) ? TableStatus.Ready
            : statuses.Contains(OrderStatus.InPreparation) ? TableStatus.Waiting
            : statuses.Contains(OrderStatus.ToPay) ? TableStatus.ToPay
            : TableStatus.Occupied;
    }

    /// <summary>The order with its status rolled up; it closes (frees its table) when everything is served and paid, or voided.</summary>
    public static Order Rolled(Order order, DateTimeOffset now)
    {
        var status = StatusOf(order.Lines);
        var closed = status is OrderStatus.Closed or OrderStatus.Cancelled;
        return order with { Status = status, ClosedAt = closed ? order.ClosedAt ?? now : null };
    }

    /// <summary>CONFLICT unless the order is open.</summary>
    public static void RequireOpen(Order order)
    {
        if (!order.IsOpen)
        {
            throw new DomainException(ErrorCodes.Conflict, "This order is closed.");
        }
    }

    private static (Order, ImmutableArray<OrderLine>) Move(
        Order order, IReadOnlyCollection<Guid> lines, Func<OrderLine, bool> moves, OrderLineStatus to, Func<OrderLine, bool> refused, DateTimeOffset now)
    {
        RequireOpen(order);
        var named = lines.Count == 0 ? [.. order.Lines.Where(moves)] : Named(order, lines);
        if (named.Any(l => !l.Live || refused(l)))
        {
            throw new DomainException(ErrorCodes.Conflict, $"A line cannot be marked {to.ToString().ToUpperInvariant()} from where it is.");
        }

        var changed = named.Where(moves).Select(l => l with { Status = to }).ToImmutableArray();
        return (Rolled(Replace(order, changed), now), changed);
    }

    private static List<OrderLine> Named(Order order, IReadOnlyCollection<Guid> lines)
    {
        var byId = order.Lines.ToDictionary(l => l.Id);
        var named = new List<OrderLine>();
        foreach (var id in lines.Distinct())
        {
            named.Add(byId.TryGetValue(id, out var line) ? line : throw new DomainException(ErrorCodes.NotFound, "A line is not of this order."));
        }

        return named;
    }

    private static HashSet<Guid> Locked(Order order) =>
        [.. order.Payments.Where(p => !p.Settled).SelectMany(p => p.Parts).Select(p => p.Line)];

    private static Order Replace(Order order, IReadOnlyCollection<OrderLine> changed)
    {
        var byId = changed.ToDictionary(l => l.Id);
        return order with { Lines = [.. order.Lines.Select(l => byId.GetValueOrDefault(l.Id, l))] };
    }

    // A share pays lines in order: deposits given back first (whole), then each line's unpaid amount until the share is
    // reached. The row that completes a line carries its quantity, so counts add up once the bill is paid.
    private static ImmutableArray<OrderPaymentPart> Fill(Order order, long share)
    {
        var parts = ImmutableArray.CreateBuilder<OrderPaymentPart>();
        var left = share;
        foreach (var line in order.Lines.Where(l => l.Unpaid < 0))
        {
            parts.Add(new OrderPaymentPart(line.Id, line.Unpaid, line.Quantity));
            left -= line.Unpaid;
        }

        foreach (var line in order.Lines.Where(l => l.Unpaid > 0))
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, line.Unpaid);
            parts.Add(new OrderPaymentPart(line.Id, take, take == line.Unpaid ? line.Quantity : 0));
            left -= take;
        }

        return parts.ToImmutable();
    }
}

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Till;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Orders;

/// <summary>
/// The single writer of one order. Not reentrant: a payment holds the order until the sale answers, so two payments of the
/// same lines cannot interleave. Its state is its row in <see cref="OrderStore"/>, written before every answer; a failed
/// write deactivates it so the next call reloads the truth.
/// </summary>
public sealed partial class OrderGrain(OrderStore store, CatalogStore catalog, TillCheckout checkout, TimeProvider time, ILogger<OrderGrain> logger)
    : Grain, IOrderGrain
{
    private Order? _order;
    private int _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(this.GetPrimaryKey(), cancellationToken) is { } loaded)
        {
            (_order, _version) = loaded;
        }
    }

    public async Task<Order> OpenAsync(OpenOrderRequest request, CancellationToken cancellationToken = default)
    {
        var pos = PointOfSaleId.ParseCode(request.PointOfSale);
        var table = request.Table is null ? null : TableIds.Parse(request.Table);
        if (_order is { } existing)
        {
            return existing.Venue == request.Venue.Value && existing.PointOfSale == pos && (table is null ? existing.Ticket is not null : existing.Table == table)
                ? existing
                : throw new DomainException(ErrorCodes.Conflict, "This order id is taken.");
        }

        if (table is not null)
        {
            await store.EnsureTableAsync(request.Venue, table, cancellationToken);
        }

        var ticket = table is null ? await store.NextTicketAsync(request.Venue, cancellationToken) : (int?)null;
        var order = OrderPlanner.Open(this.GetPrimaryKey(), request.Venue, pos, table, ticket, time.GetUtcNow());
        await SaveAsync(order, cancellationToken);
        LogOpened(logger, order.Id, order.Venue, table);
        return order;
    }

    public Task<Order> GetAsync(VenueId venue, CancellationToken cancellationToken = default) => Task.FromResult(Require(venue));

    public async Task<Order> AddLinesAsync(VenueId venue, ImmutableArray<SellLine> lines, string? key = null, CancellationToken cancellationToken = default)
    {
        var order = Require(venue);
        if (OrderPlanner.AlreadyAdded(order, key))
        {
            return order;
        }

        OrderPlanner.RequireOpen(order);
        lines = lines.IsDefault ? [] : lines;
        var menu = await catalog.MenuAsync(venue, order.PointOfSale, [.. lines.Select(l => l.Product).Distinct()], cancellationToken);
        var next = OrderPlanner.AddLines(order, BasketPricer.Price(lines, menu), time.GetUtcNow(), Guid.CreateVersion7, key);
        await SaveAsync(next, cancellationToken);
        return next;
    }

    public Task<Order> SendAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default) =>
        ChangeAsync(OrderPlanner.Send(Require(venue), Ids(lines), time.GetUtcNow()), StationEventKind.Sent, cancellationToken);

    public Task<Order> MarkPreparedAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default) =>
        ChangeAsync(OrderPlanner.MarkPrepared(Require(venue), Ids(lines), time.GetUtcNow()), StationEventKind.Prepared, cancellationToken);

    public Task<Order> MarkServedAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default) =>
        ChangeAsync(OrderPlanner.MarkServed(Require(venue), Ids(lines), time.GetUtcNow()), StationEventKind.Served, cancellationToken);

    public Task<Order> VoidLinesAsync(VenueId venue, ImmutableArray<Guid> lines, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(OrderPlanner.Void(Require(venue), Ids(lines), reason ?? "", time.GetUtcNow()), StationEventKind.Voided, cancellationToken);

    public async Task<OrderPaymentResult> PayAsync(PayOrderRequest request, CancellationToken cancellationToken = default)
    {
        var order = Require(request.Venue);
        var fingerprint = Fingerprint(request);
        var payment = order.Payments.FirstOrDefault(p => p.Key == request.Key.Value);
        if (payment is null)
        {
            var (planned, split) = OrderPlanner.PlanPayment(order, Ids(request.Lines), request.Shares, request.Key.Value, fingerprint);
            order = OrderPlanner.Begin(order, planned, split);
            // Recorded before the money moves: if the outcome is unknown, its lines stay locked for the retry with this key.
            await SaveAsync(order, cancellationToken);
            payment = planned;
        }
        else if (payment.Fingerprint != fingerprint)
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was used for another payment.");
        }

        var pos = new PointOfSaleId(request.Venue, order.PointOfSale);
        var sale = new TillSellRequest(request.Key, pos, request.Cashier, request.CashierUser, [], request.Card, request.Complement, request.SecondCard,
            request.Session, order.Table, order.Id, OrderPlanner.PricedFor(order, payment));
        PaymentResult result;
        try
        {
            result = await checkout.SellAsync(sale, cancellationToken);
        }
        catch (DomainException ex) when (ex.Code != ErrorCodes.Unavailable && !payment.Settled)
        {
            await SaveAsync(OrderPlanner.Drop(order, payment.Key), cancellationToken);
            throw;
        }

        if (payment.Settled)
        {
            return new OrderPaymentResult(result, order);
        }

        var next = result is { Approved: true, OperationId: { } operation }
            ? OrderPlanner.Settle(order, payment.Key, operation, time.GetUtcNow())
            : OrderPlanner.Drop(order, payment.Key);
        await SaveAsync(next, cancellationToken);
        return new OrderPaymentResult(result, next);
    }

    public async Task<Order> TransferAsync(VenueId venue, string table, ImmutableArray<Guid> lines, Guid newOrder, CancellationToken cancellationToken = default)
    {
        var order = Require(venue);
        OrderPlanner.RequireOpen(order);
        var target = TableIds.Parse(table);
        var named = Ids(lines);
        if (named.Count == 0 || named.Count == order.Lines.Length && order.Lines.All(l => named.Contains(l.Id)))
        {
            if (order.Table == target)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "The order is already at this table.");
            }

            await store.EnsureTableAsync(venue, target, cancellationToken);
            var moved = OrderPlanner.Rolled(order with { Table = target, Ticket = null }, time.GetUtcNow());
            await SaveAsync(moved, cancellationToken);
            Publish(StationEventKind.Moved, moved, moved.Lines);
            return moved;
        }

        var (rest, taken) = OrderPlanner.TakeLines(order, named, time.GetUtcNow());
        // The receiving order takes the lines first (once per line id); if this order's write then fails, a retry with the
        // same new order id moves them again without duplicating them.
        var received = await GrainFactory.GetOrder(newOrder).ReceiveAsync(venue, order.PointOfSale, target, taken, cancellationToken);
        await SaveAsync(rest, cancellationToken);
        Publish(StationEventKind.Moved, received, taken);
        return received;
    }

    public async Task<Order> ReceiveAsync(VenueId venue, string pointOfSale, string table, ImmutableArray<OrderLine> lines, CancellationToken cancellationToken = default)
    {
        if (_order is null)
        {
            await OpenAsync(new OpenOrderRequest(venue, pointOfSale, table), cancellationToken);
        }

        var order = Require(venue);
        if (order.Table != table)
        {
            throw new DomainException(ErrorCodes.Conflict, "This order id is taken.");
        }

        var next = OrderPlanner.Receive(order, lines, time.GetUtcNow());
        if (next.Lines.Length != order.Lines.Length)
        {
            await SaveAsync(next, cancellationToken);
        }

        return next;
    }

    private Order Require(VenueId venue) =>
        _order is { } order && order.Venue == venue.Value ? order : throw new DomainException(ErrorCodes.NotFound, "No such order at this venue.");

    private async Task<Order> ChangeAsync((Order Order, ImmutableArray<OrderLine> Changed) change, StationEventKind kind, CancellationToken cancellationToken)
    {
        if (!change.Changed.IsEmpty)
        {
            await SaveAsync(change.Order, cancellationToken);
            Publish(kind, change.Order, change.Changed);
        }

        return change.Order;
    }

    private async Task SaveAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            _version = await store.SaveAsync(order, _version, cancellationToken);
            _order = order;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    // Best effort: a station screen that misses news catches up from the orders when it subscribes again.
    private void Publish(StationEventKind kind, Order order, IEnumerable<OrderLine> lines)
    {
        var venue = new VenueId(order.Venue);
        foreach (var group in lines.Where(l => l.Station is not null).GroupBy(l => l.Station!))
        {
            var stationLines = group.Select(l => new StationLine(order.Id, order.Table, order.Ticket, l.Id, l.Name, l.Quantity, l.Status)).ToImmutableArray();
            _ = GrainFactory.GetPreparationStation(venue, group.Key).PublishAsync(new StationEvent(kind, order.Venue, group.Key, stationLines, time.GetUtcNow()));
        }
    }

    private static HashSet<Guid> Ids(ImmutableArray<Guid> lines) => lines.IsDefault ? [] : [.. lines];

    private static string Fingerprint(PayOrderRequest r)
    {
        var text = string.Join('|', r.Shares?.ToString() ?? "lines", string.Join(',', (r.Lines.IsDefault ? [] : r.Lines).Order()), r.Cashier.Value,
            r.Card?.Value, r.Complement, r.SecondCard?.Value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {Order} opened at {Venue}, table {Table}")]
    private static partial void LogOpened(ILogger logger, Guid order, string venue, string? table);
}

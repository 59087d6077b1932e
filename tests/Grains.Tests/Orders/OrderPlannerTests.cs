using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Orders;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Tests.Orders;

public sealed class OrderPlannerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static PricedLine Priced(string name, int quantity, long unit, string? station = "kitchen", SaleLineKind kind = SaleLineKind.Sale) =>
        new(kind, Guid.NewGuid(), name, Guid.NewGuid(), "Cat", 1000, quantity, unit, null, station);

    private static Order OrderWith(params PricedLine[] lines) =>
        OrderPlanner.AddLines(OrderPlanner.Open(Guid.NewGuid(), new VenueId("cafe"), "bar", "t1", null, Now), lines, Now, Guid.NewGuid);

    private static Order PayShare(Order order, int shares, string key)
    {
        var (payment, split) = OrderPlanner.PlanPayment(order, [], shares, key, "f");
        return OrderPlanner.Settle(OrderPlanner.Begin(order, payment, split), key, Guid.NewGuid(), Now);
    }

    private static string Code(Action action) => Assert.Throws<DomainException>(action).Code;

    [Theory]
    [InlineData(1000, 3)]
    [InlineData(1001, 3)]
    [InlineData(7, 7)]
    [InlineData(99_999, 50)]
    public void Equal_shares_sum_exactly_to_the_total_and_differ_by_at_most_a_cent(long total, int count)
    {
        var shares = Enumerable.Range(0, count).Select(i => OrderPlanner.ShareAmount(total, count, i)).ToList();

        Assert.Equal(total, shares.Sum());
        Assert.True(shares.Max() - shares.Min() <= 1);
    }

    [Fact]
    public void Three_shares_pay_the_lines_in_order_and_the_row_completing_a_line_carries_its_quantity()
    {
        var order = OrderWith(Priced("Burger", 2, 1200), Priced("Fries", 1, 400));

        var (first, split) = OrderPlanner.PlanPayment(order, [], 3, "k1", "f");
        order = OrderPlanner.Settle(OrderPlanner.Begin(order, first, split), "k1", Guid.NewGuid(), Now);
        order = PayShare(order, 3, "k2");
        var (last, _) = OrderPlanner.PlanPayment(order, [], 3, "k3", "f");
        order = OrderPlanner.Settle(OrderPlanner.Begin(order, last, order.Split), "k3", Guid.NewGuid(), Now);

        Assert.Equal(934, first.Amount);
        Assert.Equal([new OrderPaymentPart(order.Lines[0].Id, 934, 0)], first.Parts);
        Assert.Equal(933, last.Amount);
        Assert.Equal(2, order.Payments.SelectMany(p => p.Parts).Where(p => p.Line == order.Lines[0].Id).Sum(p => p.Quantity));
        Assert.Equal(1, order.Payments.SelectMany(p => p.Parts).Where(p => p.Line == order.Lines[1].Id).Sum(p => p.Quantity));
        Assert.Equal(0, order.Remaining);
        Assert.Null(order.Split);
        Assert.All(order.Lines, l => Assert.True(l.Paid));
        Assert.Equal(3, order.Lines[0].PaidBy.Length);
    }

    [Fact]
    public void A_share_sells_its_parts_as_partial_lines_and_whole_lines_as_they_are()
    {
        var order = OrderWith(Priced("Burger", 1, 1000), Priced("Beer", 2, 350, "bar"));
        var (payment, split) = OrderPlanner.PlanPayment(order, [], 2, "k", "f");

        var priced = OrderPlanner.PricedFor(OrderPlanner.Begin(order, payment, split), payment);

        Assert.Equal(850, priced.Sum(l => l.Amount));
        Assert.Equal(850, priced.Single().Part);
        Assert.Equal(0, priced.Single().Quantity);
        var whole = OrderPlanner.PricedFor(order, OrderPlanner.PlanPayment(order, [], null, "k2", "f").Payment);
        Assert.All(whole, l => Assert.Null(l.Part));
        Assert.Equal(1700, whole.Sum(l => l.Amount));
    }

    [Fact]
    public void A_deposit_given_back_goes_wholly_into_the_first_share()
    {
        var order = OrderWith(Priced("Beer", 2, 350, "bar"), Priced("Cup back", 1, -100, null, SaleLineKind.DepositReturn));
        var (payment, _) = OrderPlanner.PlanPayment(order, [], 2, "k", "f");

        Assert.Equal(300, payment.Amount);
        Assert.Contains(payment.Parts, p => p.Amount == -100 && p.Quantity == 1);
    }

    [Fact]
    public void Paying_a_paid_line_or_a_paid_order_is_refused_and_a_payment_in_doubt_locks_the_order()
    {
        var order = OrderWith(Priced("Burger", 1, 1200), Priced("Fries", 1, 400));
        var burger = order.Lines[0].Id;
        var (payment, _) = OrderPlanner.PlanPayment(order, [burger], null, "k1", "f");
        var pending = OrderPlanner.Begin(order, payment, null);

        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.PlanPayment(pending, [order.Lines[1].Id], null, "k2", "f")));
        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.Void(pending, [burger], "oops", Now)));

        var paid = OrderPlanner.Settle(pending, "k1", Guid.NewGuid(), Now);
        Assert.Equal(ErrorCodes.AlreadyPaid, Code(() => OrderPlanner.PlanPayment(paid, [burger], null, "k3", "f")));
        Assert.Equal(ErrorCodes.AlreadyPaid, Code(() => OrderPlanner.Void(paid, [burger], "oops", Now)));
        var all = OrderPlanner.Settle(OrderPlanner.Begin(paid, OrderPlanner.PlanPayment(paid, [], null, "k4", "f").Payment, null), "k4", Guid.NewGuid(), Now);
        Assert.Equal(ErrorCodes.AlreadyPaid, Code(() => OrderPlanner.PlanPayment(all, [], null, "k5", "f")));
        Assert.Equal(ErrorCodes.AlreadyPaid, Code(() => OrderPlanner.PlanPayment(all, [], 2, "k6", "f")));
    }

    [Fact]
    public void A_declined_payment_is_dropped_and_frees_its_lines()
    {
        var order = OrderWith(Priced("Burger", 1, 1200));
        var (payment, _) = OrderPlanner.PlanPayment(order, [], null, "k1", "f");

        var dropped = OrderPlanner.Drop(OrderPlanner.Begin(order, payment, null), "k1");

        Assert.Empty(dropped.Payments);
        Assert.Equal(1200, OrderPlanner.PlanPayment(dropped, [], null, "k2", "f").Payment.Amount);
    }

    [Fact]
    public void A_split_under_way_keeps_its_count_and_a_change_of_the_bill_restarts_it()
    {
        var order = PayShare(OrderWith(Priced("Burger", 3, 1000)), 3, "k1");

        Assert.Equal(new OrderSplit(3, 3000, 1), order.Split);
        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.PlanPayment(order, [], 2, "k2", "f")));
        Assert.Equal(ErrorCodes.BadUserInput, Code(() => OrderPlanner.PlanPayment(order, [], 1, "k2", "f")));
        Assert.Equal(ErrorCodes.BadUserInput, Code(() => OrderPlanner.PlanPayment(order, [order.Lines[0].Id], 3, "k2", "f")));

        var more = OrderPlanner.AddLines(order, [Priced("Fries", 1, 400)], Now, Guid.NewGuid);
        Assert.Null(more.Split);
        Assert.Equal(1200, OrderPlanner.PlanPayment(more, [], 2, "k3", "f").Payment.Amount);
    }

    [Fact]
    public void Statuses_roll_up_from_lines_to_order_to_table()
    {
        var order = OrderWith(Priced("Burger", 1, 1200), Priced("Beer", 1, 350, "bar"));
        var (beer, burger) = (order.Lines[1].Id, order.Lines[0].Id);
        Assert.Equal(OrderStatus.Open, order.Status);

        order = OrderPlanner.Send(order, [], Now).Order;
        Assert.Equal(OrderStatus.InPreparation, order.Status);
        Assert.All(order.Lines, l => Assert.Equal(OrderLineStatus.Sent, l.Status));

        order = OrderPlanner.MarkPrepared(order, [burger, beer], Now).Order;
        Assert.Equal(OrderStatus.Ready, order.Status);
        order = OrderPlanner.MarkServed(order, [], Now).Order;
        Assert.Equal(OrderStatus.ToPay, order.Status);
        Assert.Null(order.ClosedAt);

        var (payment, _) = OrderPlanner.PlanPayment(order, [], null, "k", "f");
        order = OrderPlanner.Settle(OrderPlanner.Begin(order, payment, null), "k", Guid.NewGuid(), Now);
        Assert.Equal(OrderStatus.Closed, order.Status);
        Assert.Equal(Now, order.ClosedAt);

        Assert.Equal(TableStatus.Free, OrderPlanner.TableStatusOf([]));
        Assert.Equal(TableStatus.Occupied, OrderPlanner.TableStatusOf([OrderStatus.Open]));
        Assert.Equal(TableStatus.Waiting, OrderPlanner.TableStatusOf([OrderStatus.ToPay, OrderStatus.InPreparation]));
        Assert.Equal(TableStatus.Ready, OrderPlanner.TableStatusOf([OrderStatus.InPreparation, OrderStatus.Ready]));
        Assert.Equal(TableStatus.ToPay, OrderPlanner.TableStatusOf([OrderStatus.ToPay, OrderStatus.Open]));
    }

    [Fact]
    public void Preparation_moves_forward_only_and_a_voided_line_leaves_the_bill()
    {
        var order = OrderWith(Priced("Burger", 1, 1200), Priced("Fries", 1, 400));
        var (burger, fries) = (order.Lines[0].Id, order.Lines[1].Id);

        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.MarkPrepared(order, [burger], Now)));
        Assert.Equal(ErrorCodes.NotFound, Code(() => OrderPlanner.Send(order, [Guid.NewGuid()], Now)));
        Assert.Equal(ErrorCodes.BadUserInput, Code(() => OrderPlanner.Void(order, [fries], " ", Now)));

        var (sent, changed) = OrderPlanner.Send(order, [burger], Now);
        Assert.Single(changed);
        Assert.Empty(OrderPlanner.Send(sent, [burger], Now).Changed);

        var (voided, _) = OrderPlanner.Void(sent, [burger], "customer left", Now);
        Assert.Equal(400, voided.Total);
        Assert.Equal("customer left", voided.Lines[0].VoidReason);
        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.MarkServed(voided, [burger], Now)));
        Assert.Equal(ErrorCodes.Conflict, Code(() => OrderPlanner.PlanPayment(voided, [burger], null, "k", "f")));
        Assert.Equal(OrderStatus.Cancelled, OrderPlanner.Void(voided, [fries], "gone", Now).Order.Status);
    }

    [Fact]
    public void An_add_remembers_its_key_and_only_the_last_ones()
    {
        var order = OrderWith();
        for (var i = 0; i <= OrderPlanner.MaxAddKeys; i++)
        {
            order = OrderPlanner.AddLines(order, [Priced("Beer", 1, 350, "bar")], Now, Guid.NewGuid, $"k{i}");
        }

        Assert.True(OrderPlanner.AlreadyAdded(order, $"k{OrderPlanner.MaxAddKeys}"));
        Assert.False(OrderPlanner.AlreadyAdded(order, "k0"));
        Assert.False(OrderPlanner.AlreadyAdded(order, null));
        Assert.Equal(OrderPlanner.MaxAddKeys, order.AddKeys.Length);
    }

    [Fact]
    public void A_transfer_moves_unpaid_lines_once_and_leaves_paid_ones()
    {
        var order = OrderWith(Priced("Burger", 1, 1200), Priced("Fries", 1, 400));
        var (burger, fries) = (order.Lines[0].Id, order.Lines[1].Id);
        var (payment, _) = OrderPlanner.PlanPayment(order, [burger], null, "k", "f");
        order = OrderPlanner.Settle(OrderPlanner.Begin(order, payment, null), "k", Guid.NewGuid(), Now);

        Assert.Equal(ErrorCodes.AlreadyPaid, Code(() => OrderPlanner.TakeLines(order, [burger], Now)));
        var (rest, moved) = OrderPlanner.TakeLines(order, [fries], Now);
        var target = OrderPlanner.Open(Guid.NewGuid(), new VenueId("cafe"), "bar", "t2", null, Now);
        target = OrderPlanner.Receive(target, moved, Now);
        var again = OrderPlanner.Receive(target, moved, Now);

        Assert.Equal([burger], rest.Lines.Select(l => l.Id));
        Assert.Equal(OrderStatus.Open, rest.Status);
        Assert.Equal(400, target.Total);
        Assert.Single(again.Lines);
    }
}

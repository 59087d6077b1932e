using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

/// <summary>
/// The seat counts of one event: taken (held or confirmed) in total, per price, and per customer and price. The event
/// grain owns one and is its only user, so a plan and the take that follows it run in one turn without interleaving.
/// No I/O: the rules are unit-tested without a cluster.
/// </summary>
public sealed class SeatBook
{
    private const int MaxSeatsPerReservation = 50;
    private const int MaxNameLength = 200;
    private const long MaxSeatAmount = 100_000_000;

    private readonly Dictionary<string, int> _byPrice = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Customer, string Price), int> _byCustomer = [];

    /// <summary>Seats taken at every price.</summary>
    public int Taken { get; private set; }

    public int TakenAt(string price) => _byPrice.GetValueOrDefault(price);

    /// <summary>
    /// The seats a request would take, priced. Throws BAD_USER_INPUT (unknown price, amount below a minimum, missing or
    /// needless names), SALES_CLOSED (outside a price's window), SOLD_OUT (capacity or stock) or LIMIT_EXCEEDED.
    /// </summary>
    public ImmutableArray<ReservedSeat> Plan(EventDefinition definition, EmailAddress customer, ImmutableArray<SeatRequest> seats, DateTimeOffset now)
    {
        if (seats.IsDefaultOrEmpty || seats.Length > MaxSeatsPerReservation)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A reservation has 1 to {MaxSeatsPerReservation} seats.");
        }

        var planned = ImmutableArray.CreateBuilder<ReservedSeat>(seats.Length);
        foreach (var seat in seats)
        {
            var price = definition.Prices.FirstOrDefault(p => p.Id == seat.PriceId)
                        ?? throw new DomainException(ErrorCodes.BadUserInput, "No such price for this event.");
            if ((price.SalesStart is { } start && now < start) || (price.SalesEnd is { } end && now >= end))
            {
                throw new DomainException(ErrorCodes.SalesClosed, "This price is not on sale now.");
            }

            var name = string.IsNullOrWhiteSpace(seat.HolderName) ? null : seat.HolderName.Trim();
            if (definition.Nominative && name is null)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "This event's tickets are nominative: give each seat's holder name.");
            }

            if (name is { Length: > MaxNameLength })
            {
                throw new DomainException(ErrorCodes.BadUserInput, $"A holder name has at most {MaxNameLength} characters.");
            }

            planned.Add(new ReservedSeat(price.Id, AmountOf(price, seat.Amount), name));
        }

        var result = planned.MoveToImmutable();
        if (Taken + result.Length > definition.Capacity)
        {
            throw new DomainException(ErrorCodes.SoldOut, "Not enough seats left.");
        }

        foreach (var group in result.GroupBy(s => s.PriceId))
        {
            var price = definition.Prices.First(p => p.Id == group.Key);
            var count = group.Count();
            if (price.Stock is { } stock && TakenAt(price.Id) + count > stock)
            {
                throw new DomainException(ErrorCodes.SoldOut, "Not enough seats left at this price.");
            }

            if (price.PerCustomerLimit is { } limit && _byCustomer.GetValueOrDefault((customer.Value, price.Id)) + count > limit)
            {
                throw new DomainException(ErrorCodes.LimitExceeded, $"At most {limit} seats per customer at this price.");
            }
        }

        return result;
    }

    /// <summary>Counts the seats as taken (a new hold, or a reservation loaded at activation).</summary>
    public void Take(EmailAddress customer, ImmutableArray<ReservedSeat> seats) => Move(customer, seats, +1);

    /// <summary>Gives the seats back (an expired hold, a cancellation, a hold whose write failed).</summary>
    public void Release(EmailAddress customer, ImmutableArray<ReservedSeat> seats) => Move(customer, seats, -1);

    /// <summary>Checks a new definition against what is taken: capacity and every stock must still hold them.</summary>
    public void RequireFits(EventDefinition definition)
    {
        if (definition.Capacity < Taken)
        {
            throw new DomainException(ErrorCodes.Conflict, $"{Taken} seats are already taken: the capacity cannot be lower.");
        }

        foreach (var (price, taken) in _byPrice)
        {
            if (taken == 0)
            {
                continue;
            }

            var kept = definition.Prices.FirstOrDefault(p => p.Id == price)
                       ?? throw new DomainException(ErrorCodes.Conflict, "A price with seats taken cannot be removed.");
            if (kept.Stock is { } stock && stock < taken)
            {
                throw new DomainException(ErrorCodes.Conflict, "A price's stock cannot go below its seats taken.");
            }
        }
    }

    private static long AmountOf(EventPrice price, long? chosen) => price.Kind switch
    {
        PriceKind.Free => chosen is null or 0 ? 0 : throw new DomainException(ErrorCodes.BadUserInput, "A free seat has no amount."),
        PriceKind.Fixed => chosen is null || chosen == price.Amount ? price.Amount
            : throw new DomainException(ErrorCodes.BadUserInput, "This price is fixed."),
        _ => (chosen ?? price.Amount) >= price.Amount && (chosen ?? price.Amount) <= MaxSeatAmount ? chosen ?? price.Amount
            : throw new DomainException(ErrorCodes.BadUserInput, $"Pay at least {price.Amount} cents at this price."),
    };

    private void Move(EmailAddress customer, ImmutableArray<ReservedSeat> seats, int sign)
    {
        foreach (var seat in seats)
        {
            Taken += sign;
            _byPrice[seat.PriceId] = _byPrice.GetValueOrDefault(seat.PriceId) + sign;
            var key = (customer.Value, seat.PriceId);
            _byCustomer[key] = _byCustomer.GetValueOrDefault(key) + sign;
        }
    }
}

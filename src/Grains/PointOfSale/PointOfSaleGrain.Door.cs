using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.PointOfSale;

// A till's mode, and a customer tap at a door (mode DOOR): the card holder is checked in, no money moves.
public sealed partial class PointOfSaleGrain
{
    private const int MaxWhereLength = 100;

    public async Task<PointOfSaleDetails> SetModeAsync(PointOfSaleMode mode, CancellationToken cancellationToken = default)
    {
        var current = Current;
        RequireMode(mode);
        if (current.Mode == mode)
        {
            return current;
        }

        // A pending payment or top-up belongs to the counter: a door has none, and a counter starts afresh.
        var details = current with { Mode = mode, Pending = null };
        await WriteAsync(details, state.State.RecentTaps);
        LogModeChanged(logger, _id.Key, mode);
        if (current.Pending is { } dropped)
        {
            Notify(new PendingRequestCancelled(details, DateTimeOffset.UtcNow, dropped));
        }

        Notify(new PointOfSaleModeChanged(details, DateTimeOffset.UtcNow));
        return details;
    }

    private async Task<TapResult> DoorAsync(Tap tap, CardUid card, CardUid cashier, CancellationToken cancellationToken)
    {
        // Stamped on the ticket: a later tap answers ALREADY_IN with this door and the cashier card that opened it.
        var where = Current.Name + (tap.ReaderName.Length > 0 ? " · " + tap.ReaderName : "");
        var verdict = await door.CheckInAsync(_id.Venue, card, "cashier card " + cashier.Value, where.Length > MaxWhereLength ? where[..MaxWhereLength] : where, cancellationToken);
        return Result(tap, verdict.Outcome, verdict.Message) with { Door = verdict.Door };
    }

    private static void RequireMode(PointOfSaleMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A point of sale is a SALE counter or a DOOR.");
        }
    }

    private static PointOfSaleDetails RequireSale(PointOfSaleDetails current) => current.Mode == PointOfSaleMode.Sale
        ? current
        : throw new DomainException(ErrorCodes.Conflict, "This point of sale is a door: it takes no payments or top-ups.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Point of sale {PointOfSale} is now in mode {Mode}")]
    private static partial void LogModeChanged(ILogger logger, string pointOfSale, PointOfSaleMode mode);
}

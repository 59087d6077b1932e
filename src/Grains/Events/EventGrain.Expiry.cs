using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;

namespace TiBillet.Grains.Events;

// Holds run out. A timer looks for expired holds while any exists; a reminder wakes the event after a restart or a
// deactivation, so holds persisted in the table still expire on time (within the reminder's minute) with no request.
public sealed partial class EventGrain
{
    private const string HoldsReminder = "holds";
    private IGrainTimer? _expiryTimer;
    private bool _reminderOn;

    private async Task StartExpiryAsync()
    {
        _expiryTimer ??= this.RegisterGrainTimer(ExpireHoldsAsync,
            new GrainTimerCreationOptions { DueTime = options.Value.ExpiryScan, Period = options.Value.ExpiryScan, Interleave = true, KeepAlive = true });
        if (!_reminderOn)
        {
            _reminderOn = true;
            try
            {
                await this.RegisterOrUpdateReminder(HoldsReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            }
            catch
            {
                _reminderOn = false;
                throw;
            }
        }
    }

    private async Task ExpireHoldsAsync()
    {
        var now = clock.GetUtcNow();
        var expired = _reservations.Values
            .Where(r => r.State == ReservationState.Held && !r.Confirming && !r.Cancelling && r.HeldUntil <= now)
            .ToList();
        if (expired.Count > 0)
        {
            // Marked in this turn: a confirm interleaved with the write below is refused, and the seats are given back
            // only once the rows say expired, so no one holds them twice.
            foreach (var r in expired)
            {
                r.Cancelling = true;
            }

            try
            {
                await writer.WriteAsync(ReservationStatements.Expire([.. expired.Select(r => r.Id)]));
                foreach (var r in expired)
                {
                    r.State = ReservationState.Expired;
                    Forget(r);
                }

                await RefundLatePaymentsAsync([.. expired.Where(r => r.Total > 0).Select(r => r.Id)]);
            }
            catch (DomainException)
            {
                // The next scan tries again.
            }
            finally
            {
                foreach (var r in expired)
                {
                    r.Cancelling = false;
                }
            }
        }

        if (!AnyHeld())
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != HoldsReminder)
        {
            return;
        }

        await ExpireHoldsAsync();
        if (!AnyHeld() && await this.GetReminder(HoldsReminder) is { } reminder)
        {
            // Only here, once a minute, so the rush never churns the reminder table. A hold made while unregistering
            // registers again below.
            _reminderOn = false;
            await this.UnregisterReminder(reminder);
            if (AnyHeld())
            {
                await StartExpiryAsync();
            }
        }
    }

    /// <summary>
    /// Gives back payments that landed for holds that ran out (a confirmation whose payment committed but whose answer or
    /// write was lost): seats freed, so the money must not stay taken. Found in the ledger by the payment's key; refunded and
    /// recorded on the row under keys of their own, so a second pass refunds nothing more. Returns the recorded refunds.
    /// </summary>
    private async Task<Dictionary<Guid, (WalletId Payer, ImmutableArray<PaidMovement> Paid)>> RefundLatePaymentsAsync(IReadOnlyCollection<Guid> reservations)
    {
        var done = new Dictionary<Guid, (WalletId, ImmutableArray<PaidMovement>)>();
        if (reservations.Count == 0 || _event is not { } e)
        {
            return done;
        }

        try
        {
            foreach (var (id, payer, paid) in await payments.RefundLatePaymentsAsync(reservations, e.Venue, CancellationToken.None))
            {
                await writer.WriteAsync(ReservationStatements.LateRefund(id, payer, paid));
                LogLateRefund(logger, id);
                done[id] = (payer, paid);
            }
        }
        catch (DomainException ex)
        {
            // Left for the next look at the reservation (a retried confirmation or a cancellation tries again).
            LogLateRefundFailed(logger, _id.Value, ex.Code);
        }

        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A payment for reservation {ReservationId} landed after its hold ran out: refunded")]
    private static partial void LogLateRefund(ILogger logger, Guid reservationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId}: a late payment could not be refunded yet ({Code})")]
    private static partial void LogLateRefundFailed(ILogger logger, Guid eventId, string code);

    private bool AnyHeld() => _reservations.Values.Any(r => r.State == ReservationState.Held);
}

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Tickets;

namespace TiBillet.Grains.Events;

// Reservations: hold, confirm (paid or by link), cancel, expire.
public sealed partial class EventGrain
{
    public async Task<Reservation> ReserveAsync(ReserveRequest request, CancellationToken cancellationToken = default)
    {
        if (RequireEvent() is var before && !_byKey.ContainsKey((request.Customer.Value, request.Key.Value)))
        {
            // Members-only prices: read from the membership rows now (the one await before the seats are decided, which then
            // happens in one turn as below). A retry of a key already used is answered from the first reservation instead.
            await memberPrices.RequireMemberAsync(before.Venue, before.Definition, request, cancellationToken);
        }

        var e = RequireEvent();
        var hash = HashOf(request);
        if (_byKey.TryGetValue((request.Customer.Value, request.Key.Value), out var known))
        {
            var earlier = _reservations[known];
            return earlier.Hash.AsSpan().SequenceEqual(hash) ? Project(earlier)
                : throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different reservation.");
        }

        if (e.State != EventState.Published)
        {
            throw new DomainException(ErrorCodes.SalesClosed, "This event is not open for reservations.");
        }

        var now = clock.GetUtcNow();
        var seats = _book.Plan(e.Definition, request.Customer, request.Seats, now);
        var total = seats.Sum(s => s.Amount);
        var token = total == 0 ? RandomNumberGenerator.GetBytes(32) : null;
        var hold = e.Definition.HoldSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.DefaultHold;
        var row = new StoredReservation(Guid.CreateVersion7(), request.Customer, request.Key, hash, ReservationState.Held, seats, total, now + hold,
            null, [], token is null ? null : SHA256.HashData(token), []);
        var live = new LiveReservation(row);
        // Taken now, in this turn: a reservation interleaved while this one's row is committing counts these seats.
        Track(live);
        live.Confirming = true;
        int inserted;
        try
        {
            inserted = (await writer.WriteAsync(ReservationStatements.Hold(row.Id, _id, row.Customer, row.Key, hash, seats, total, row.HeldUntil, row.TokenHash)))[0];
        }
        catch
        {
            Forget(live);
            throw;
        }
        finally
        {
            live.Confirming = false;
        }

        if (inserted == 0)
        {
            // The key was used before this activation kept it (the reservation expired or was cancelled since): its first answer stands.
            Forget(live);
            var first = await store.FindByKeyAsync(request.Customer, request.Key, cancellationToken)
                        ?? throw new DomainException(ErrorCodes.Unavailable, "The reservation could not be read; retry with the same key.");
            return first.RequestHash.AsSpan().SequenceEqual(hash) ? Project(new LiveReservation(first))
                : throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different reservation.");
        }

        await StartExpiryAsync();
        if (token is not null)
        {
            await MailConfirmLinkAsync(live, token, cancellationToken);
        }

        return Project(live);
    }

    public async Task<Reservation> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken = default)
    {
        var e = RequireEvent();
        var live = await LiveOrThrowAsync(request.Reservation, request.Customer, cancellationToken);
        if (live.State == ReservationState.Confirmed)
        {
            return Project(live);
        }

        if (live.Total == 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A free reservation is confirmed by the link e-mailed to its customer.");
        }

        BeginConfirm(e, live);
        try
        {
            var paid = await payments.PayAsync(request, live.Id, e.Venue, ReservationPayments.Basket(e.Definition, live.Seats), cancellationToken);
            if (!paid.Approved)
            {
                throw new DomainException(ErrorCodes.InsufficientFunds, $"The payment was declined ({paid.Reason}); the seats stay held until the hold ends.");
            }

            var movements = paid.Movements.Select(m => new PaidMovement(m.Asset.Value, m.Amount, m.From.Value, m.To.Value)).ToImmutableArray();
            var payer = paid.Movements.IsDefaultOrEmpty ? (WalletId?)null : paid.Movements[0].From;
            await CompleteConfirmAsync(e, live, payer, movements, request.Means == ConfirmMeans.Stripe ? request.CheckoutSession : null);
            return Project(live);
        }
        finally
        {
            live.Confirming = false;
        }
    }

    public async Task<Reservation> ConfirmFreeAsync(Guid reservation, byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        var e = RequireEvent();
        var live = await LiveOrThrowAsync(reservation, null, cancellationToken);
        if (live.TokenHash is null || !CryptographicOperations.FixedTimeEquals(live.TokenHash, tokenHash))
        {
            throw new DomainException(ErrorCodes.InvalidLinkToken, "This confirmation link is not valid.");
        }

        if (live.State == ReservationState.Confirmed)
        {
            return Project(live);
        }

        BeginConfirm(e, live);
        try
        {
            await CompleteConfirmAsync(e, live, null, []);
            return Project(live);
        }
        finally
        {
            live.Confirming = false;
        }
    }

    public async Task<Reservation> CancelReservationAsync(Guid reservation, EmailAddress? customer, CancellationToken cancellationToken = default)
    {
        RequireEvent();
        if (!_reservations.TryGetValue(reservation, out var live))
        {
            var row = await store.FindReservationAsync(_id, reservation, cancellationToken);
            if (row is null || (customer is { } c && row.Customer != c))
            {
                throw new DomainException(ErrorCodes.NotFound, "No such reservation.");
            }

            // Cancelled or expired already: nothing more to do, but a payment that landed after the hold ran out.
            return Project(new LiveReservation(await SettleExpiredAsync(row)));
        }

        if (customer is { } owner && live.Customer != owner)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such reservation.");
        }

        await CancelLiveAsync(live, scannedAllowed: false, cancellationToken);
        return Project(live);
    }

    public async Task<Reservation?> FindReservationAsync(Guid reservation, EmailAddress? customer, CancellationToken cancellationToken = default)
    {
        if (_event is null)
        {
            return null;
        }

        if (_reservations.TryGetValue(reservation, out var live))
        {
            return customer is { } c && live.Customer != c ? null : Project(live);
        }

        var row = await store.FindReservationAsync(_id, reservation, cancellationToken);
        return row is null || (customer is { } owner && row.Customer != owner) ? null : Project(new LiveReservation(row));
    }

    private async Task CancelLiveAsync(LiveReservation live, bool scannedAllowed, CancellationToken cancellationToken)
    {
        if (live.State is ReservationState.Cancelled or ReservationState.Expired)
        {
            return;
        }

        if (live.Cancelling || live.Confirming)
        {
            throw new DomainException(ErrorCodes.Conflict, "This reservation is changing right now; retry.");
        }

        if (!scannedAllowed && live.AnyScanned)
        {
            throw new DomainException(ErrorCodes.TicketAlreadyScanned, "A ticket of this reservation was already checked in: it cannot be cancelled.");
        }

        live.Cancelling = true;
        try
        {
            if (live.State == ReservationState.Confirmed && live.Payer is { } payer && !live.Payment.IsDefaultOrEmpty)
            {
                // The money goes back first, under a key of its own: if the cancellation's write then fails, a retry refunds nothing more.
                await payments.RefundAsync(live.Id, RequireEvent().Venue, payer, live.Payment, cancellationToken);
            }
            else if (live.State == ReservationState.Confirmed && live.CheckoutSession is { } session)
            {
                // Paid by card through Stripe: refunded there, under the session's own key, before the cancellation is written.
                await payments.RefundCheckoutAsync(session, cancellationToken);
            }

            await writer.WriteAsync(ReservationStatements.Cancel(live.Id));
            live.State = ReservationState.Cancelled;
            live.Tickets = [.. live.Tickets.Select(t => t with { Cancelled = true })];
            Forget(live);
        }
        finally
        {
            live.Cancelling = false;
        }
    }

    private async Task<LiveReservation> LiveOrThrowAsync(Guid reservation, EmailAddress? customer, CancellationToken cancellationToken)
    {
        if (_reservations.TryGetValue(reservation, out var live) && (customer is null || live.Customer == customer))
        {
            return live;
        }

        var row = await store.FindReservationAsync(_id, reservation, cancellationToken);
        if (row is null || (customer is { } c && row.Customer != c))
        {
            throw new DomainException(ErrorCodes.NotFound, "No such reservation.");
        }

        if (row.State != ReservationState.Expired)
        {
            throw new DomainException(ErrorCodes.Conflict, "This reservation was cancelled.");
        }

        var settled = await SettleExpiredAsync(row);
        throw new DomainException(ErrorCodes.HoldExpired, settled.Payment.IsDefaultOrEmpty
            ? "This reservation's hold ran out: its seats were freed."
            : "This reservation's hold ran out: its seats were freed, and its payment, which came too late, was refunded.");
    }

    /// <summary>An expired paid reservation whose payment landed anyway: refunded now (once), and the row says so.</summary>
    private async Task<StoredReservation> SettleExpiredAsync(StoredReservation row)
    {
        if (row.State != ReservationState.Expired || row.Total == 0 || !row.Payment.IsDefaultOrEmpty)
        {
            return row;
        }

        return (await RefundLatePaymentsAsync([row.Id])).TryGetValue(row.Id, out var refund)
            ? row with { PayerWallet = refund.Payer, Payment = refund.Paid }
            : row;
    }

    private void BeginConfirm(StoredEvent e, LiveReservation live)
    {
        if (e.State != EventState.Published)
        {
            throw new DomainException(ErrorCodes.SalesClosed, "This event is not open for reservations.");
        }

        if (live.Confirming || live.Cancelling)
        {
            throw new DomainException(ErrorCodes.Conflict, "This reservation is changing right now; retry.");
        }

        if (live.State != ReservationState.Held || clock.GetUtcNow() >= live.HeldUntil)
        {
            throw new DomainException(ErrorCodes.HoldExpired, "This reservation's hold ran out: its seats were freed.");
        }

        live.Confirming = true;
    }

    private async Task CompleteConfirmAsync(StoredEvent e, LiveReservation live, WalletId? payer, ImmutableArray<PaidMovement> movements, string? checkoutSession = null)
    {
        var tickets = ImmutableArray.CreateBuilder<TicketSummary>(live.Seats.Length);
        foreach (var seat in live.Seats)
        {
            var id = Guid.CreateVersion7();
            var code = await keys.SignAsync(new TicketCode(id, _id.Value, e.Venue));
            tickets.Add(new TicketSummary(id, seat.PriceId, seat.HolderName, code, false, null));
        }

        var issued = tickets.MoveToImmutable();
        await writer.WriteAsync(ReservationStatements.Confirm(live.Id, payer, movements, checkoutSession), ReservationStatements.Tickets(live.Id, _id, e.Venue, issued));
        live.State = ReservationState.Confirmed;
        live.Payer = payer;
        live.Payment = movements;
        live.CheckoutSession = checkoutSession;
        live.Tickets = issued;
        foreach (var t in issued)
        {
            _ticketOwner[t.Id] = live.Id;
        }
    }

    private async Task MailConfirmLinkAsync(LiveReservation live, byte[] token, CancellationToken cancellationToken)
    {
        var e = RequireEvent();
        var link = $"{options.Value.LinkBaseUrl.TrimEnd('/')}/reservations/confirm?reservation={live.Id}&token={Convert.ToHexStringLower(token)}";
        var body = $"You reserved {live.Seats.Length} seat(s) for \"{e.Definition.Title}\".\n\nConfirm your reservation before {live.HeldUntil:u}:\n{link}\n";
        try
        {
            await mail.SendAsync(new OutgoingMail(live.Customer, $"Confirm your reservation: {e.Definition.Title}", body), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The hold stands; without the link it simply runs out and frees its seats.
            LogMailFailed(logger, live.Id, ex);
        }
    }

    private Reservation Project(LiveReservation live) => new(live.Id, _id, RequireEvent().Venue, live.Customer, live.State, live.Seats, live.Total,
        live.HeldUntil, live.Tickets,
        (live.State is ReservationState.Cancelled or ReservationState.Expired && !live.Payment.IsDefaultOrEmpty)
            || (live.State == ReservationState.Cancelled && live.CheckoutSession is not null),
        live.CheckoutSession);

    private byte[] HashOf(ReserveRequest request)
    {
        var text = new StringBuilder(_id.ToString());
        foreach (var s in request.Seats.IsDefault ? [] : request.Seats)
        {
            text.Append('|').Append(s.PriceId).Append(':').Append(s.Amount).Append(':').Append(s.HolderName);
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The confirmation link of reservation {ReservationId} could not be mailed")]
    private static partial void LogMailFailed(ILogger logger, Guid reservationId, Exception exception);
}

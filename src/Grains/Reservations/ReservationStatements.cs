using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;

namespace TiBillet.Grains.Reservations;

/// <summary>The statements of each reservation change, handed to the <see cref="ReservationWriter"/>.</summary>
public static class ReservationStatements
{
    /// <summary>A new hold; affects 0 rows when the customer's key was already used (the first reservation stands).</summary>
    public static Func<NpgsqlBatchCommand> Hold(Guid id, EventId evt, EmailAddress customer, IdempotencyKey key, byte[] hash,
        ImmutableArray<ReservedSeat> seats, long total, DateTimeOffset heldUntil, byte[]? tokenHash) => () => new NpgsqlBatchCommand(
        """
        INSERT INTO reservations (reservation_id, event_id, customer, idempotency_key, request_hash, state, seats, total, held_until, confirm_token_hash)
        VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9) ON CONFLICT (customer, idempotency_key) DO NOTHING
        """)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = id },
            new NpgsqlParameter<Guid> { TypedValue = evt.Value },
            new NpgsqlParameter<string> { TypedValue = customer.Value },
            new NpgsqlParameter<string> { TypedValue = key.Value },
            new NpgsqlParameter<byte[]> { TypedValue = hash },
            Jsonb(JsonSerializer.Serialize(seats, EventStore.Json)),
            new NpgsqlParameter<long> { TypedValue = total },
            new NpgsqlParameter<DateTime> { TypedValue = heldUntil.UtcDateTime },
            new NpgsqlParameter { Value = (object?)tokenHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea },
        },
    };

    /// <summary>
    /// A held reservation confirmed: its payment kept for a refund (ledger movements, or the Stripe session that paid);
    /// affects 0 rows unless it was held.
    /// </summary>
    public static Func<NpgsqlBatchCommand> Confirm(Guid id, WalletId? payer, ImmutableArray<PaidMovement> payment, string? checkoutSession = null) => () => new NpgsqlBatchCommand(
        "UPDATE reservations SET state = 1, confirmed_at = now(), payer_wallet = $2, payment = $3, checkout_session = $4 WHERE reservation_id = $1 AND state = 0")
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = id },
            new NpgsqlParameter { Value = payer is { } w ? w.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            Jsonb(JsonSerializer.Serialize(payment, EventStore.Json)),
            new NpgsqlParameter { Value = (object?)checkoutSession ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        },
    };

    /// <summary>The tickets of a confirmed reservation, in one statement.</summary>
    public static Func<NpgsqlBatchCommand> Tickets(Guid reservation, EventId evt, VenueId venue, ImmutableArray<TicketSummary> tickets) => () => new NpgsqlBatchCommand(
        """
        INSERT INTO tickets (ticket_id, reservation_id, event_id, venue_id, price_id, holder_name, code)
        SELECT t.id, $1, $2, $3, t.price, t.holder, t.code FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[]) AS t(id, price, holder, code)
        """)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = reservation },
            new NpgsqlParameter<Guid> { TypedValue = evt.Value },
            new NpgsqlParameter<string> { TypedValue = venue.Value },
            new NpgsqlParameter<Guid[]> { TypedValue = [.. tickets.Select(t => t.Id)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. tickets.Select(t => t.PriceId)] },
            new NpgsqlParameter<string?[]> { TypedValue = [.. tickets.Select(t => t.HolderName)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. tickets.Select(t => t.Code)] },
        },
    };

    /// <summary>Holds that ran out, freed together.</summary>
    public static Func<NpgsqlBatchCommand> Expire(Guid[] ids) => () => new NpgsqlBatchCommand(
        "UPDATE reservations SET state = 3 WHERE reservation_id = ANY($1) AND state = 0")
    {
        Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = ids } },
    };

    /// <summary>A payment that landed after its hold ran out, recorded on the expired row once given back.</summary>
    public static Func<NpgsqlBatchCommand> LateRefund(Guid id, WalletId payer, ImmutableArray<PaidMovement> payment) => () => new NpgsqlBatchCommand(
        "UPDATE reservations SET payer_wallet = $2, payment = $3 WHERE reservation_id = $1 AND state = 3")
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = id },
            new NpgsqlParameter<Guid> { TypedValue = payer.Value },
            Jsonb(JsonSerializer.Serialize(payment, EventStore.Json)),
        },
    };

    /// <summary>A held or confirmed reservation cancelled, with its tickets.</summary>
    public static Func<NpgsqlBatchCommand>[] Cancel(Guid id) =>
    [
        () => new NpgsqlBatchCommand("UPDATE reservations SET state = 2, cancelled_at = now() WHERE reservation_id = $1 AND state IN (0, 1)")
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = id } },
        },
        () => new NpgsqlBatchCommand("UPDATE tickets SET state = 1 WHERE reservation_id = $1")
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = id } },
        },
    ];

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };
}

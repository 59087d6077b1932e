using System.Security.Cryptography;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Reservations;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Reservations;

/// <summary>Reserving seats, confirming (wallet, counter, e-mailed link) and cancelling.</summary>
public sealed class ReservationMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReservationGraphType>>("reserve")
            .Description("Holds seats of a published event for the signed-in customer until heldUntil. A free reservation is then confirmed by the link mailed to the " +
                         "customer; a paid one by confirmReservation (wallet), payReservationOnline (card, Stripe) or at the counter. Errors: SOLD_OUT, LIMIT_EXCEEDED, " +
                         "SALES_CLOSED, MEMBERSHIP_REQUIRED (a members-only price without a valid membership now), BAD_USER_INPUT, NOT_FOUND, CONFLICT (key reused with other seats).")
            .Argument<NonNullGraphType<ReserveInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ReserveInput>("input");
                var grain = await EventOrThrowAsync(c, input.EventId);
                var seats = input.Seats.Select(s => new SeatRequest(s.PriceId, s.Amount, s.HolderName)).ToArray();
                return await grain.ReserveAsync(new ReserveRequest(c.Caller().CustomerEmail()!.Value, IdempotencyKey.Parse(input.IdempotencyKey), [.. seats]), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReservationGraphType>>("confirmReservation")
            .Description("Pays the signed-in customer's held reservation from their wallet (an ordinary ledger sale to the venue) and issues its tickets. " +
                         "Retrying returns the confirmed reservation and charges once. INSUFFICIENT_FUNDS (the hold stays), HOLD_EXPIRED, NOT_FOUND (also when the customer has no wallet).")
            .Argument<NonNullGraphType<ReservationRefInputGraphType>>("input")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ReservationRefInput>("input");
                var grain = await EventOrThrowAsync(c, input.EventId);
                var wallet = await c.OwnWalletAsync() ?? throw new DomainException(ErrorCodes.NotFound, "You have no wallet yet: link a card or receive money first.");
                return await grain.ConfirmAsync(new ConfirmRequest(ParseId(input.ReservationId), ConfirmMeans.Wallet, c.Caller().CustomerEmail(), wallet, null, null),
                    c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReservationGraphType>>("confirmReservationAtCounter")
            .Description("Pays a held reservation at the event's venue counter (venue CASHIER) with the customer's card, as any sale there, and issues its tickets. " +
                         "INSUFFICIENT_FUNDS, HOLD_EXPIRED, FORBIDDEN (another venue, or not a cashier card of it), UNKNOWN_CARD.")
            .Argument<NonNullGraphType<CounterConfirmInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CounterConfirmInput>("input");
                var grain = c.Grains().GetEvent(EventId.Parse(input.EventId));
                var details = await grain.FindAsync(c.CancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");
                await c.RequireCounterAsync(details.Venue);
                return await grain.ConfirmAsync(new ConfirmRequest(ParseId(input.ReservationId), ConfirmMeans.Counter, null, null,
                    CardUid.Parse(input.CashierUid), CardUid.Parse(input.CardUid)), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReservationGraphType>>("confirmFreeReservation")
            .Description("Confirms a free reservation with the token of the link mailed at reserve time (anonymous: the token is the proof). INVALID_LINK_TOKEN, HOLD_EXPIRED.")
            .Argument<NonNullGraphType<FreeConfirmInputGraphType>>("input")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<FreeConfirmInput>("input");
                var id = ParseId(input.ReservationId);
                byte[] token;
                try
                {
                    token = Convert.FromHexString(input.Token ?? "");
                }
                catch (FormatException)
                {
                    throw new DomainException(ErrorCodes.InvalidLinkToken, "This confirmation link is not valid.");
                }

                var evt = await c.Service<EventStore>().FindEventOfReservationAsync(id, c.CancellationToken)
                          ?? throw new DomainException(ErrorCodes.InvalidLinkToken, "This confirmation link is not valid.");
                return await c.Grains().GetEvent(evt).ConfirmFreeAsync(id, SHA256.HashData(token), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReservationGraphType>>("cancelReservation")
            .Description("Cancels a reservation: the customer's own, or any of the event's for a venue ADMIN. A paid one is refunded the way it was paid: to the wallet by a ledger refund, " +
                         "or through Stripe (under the session's own key) when paid online by card. " +
                         "TICKET_ALREADY_SCANNED once one of its tickets was checked in. Idempotent.")
            .Argument<NonNullGraphType<ReservationRefInputGraphType>>("input")
            .RequirePolicy(Policies.StaffOrCustomer)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ReservationRefInput>("input");
                var grain = c.Grains().GetEvent(EventId.Parse(input.EventId));
                var details = await FindOrThrowAsync(grain, c.CancellationToken);
                var customer = c.Caller().CustomerEmail();
                if (customer is null)
                {
                    await c.RequireVenueRoleAsync(details.Venue, VenueRole.Admin);
                }

                return await grain.CancelReservationAsync(ParseId(input.ReservationId), customer, c.CancellationToken);
            });
    }

    internal static Guid ParseId(string? value) =>
        Guid.TryParse(value, out var id) ? id : throw new DomainException(ErrorCodes.BadUserInput, "Not a reservation id.");

    private static async Task<IEventGrain> EventOrThrowAsync(IResolveFieldContext c, string id)
    {
        var grain = c.Grains().GetEvent(EventId.Parse(id));
        await FindOrThrowAsync(grain, c.CancellationToken);
        return grain;
    }

    private static async Task<EventDetails> FindOrThrowAsync(IEventGrain grain, CancellationToken cancellationToken) =>
        await grain.FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such event.");
}

using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Tickets;
using TiBillet.Grains.Venues;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Reservations;

namespace TiBillet.GraphQL.Tickets;

/// <summary>The <c>checkIn</c> mutation's input: the scanning venue, the scanned code, and where the scan happened.</summary>
public sealed record CheckInInput(string VenueId, string Code, string? Where);

public sealed class CheckInInputGraphType : InputObjectGraphType<CheckInInput>
{
    public CheckInInputGraphType()
    {
        Name = "CheckInInput";
        Field<NonNullGraphType<IdGraphType>>("venueId").Description("The venue scanning (its staff's rights).");
        Field<NonNullGraphType<StringGraphType>>("code").Description("The ticket's code as scanned.");
        Field<StringGraphType>("where").Description("Which door or device (free text, up to 100 characters).");
    }
}

public sealed class VenueTicketKeyGraphType : ObjectGraphType<VenueTicketKey>
{
    public VenueTicketKeyGraphType()
    {
        Name = "VenueTicketKey";
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field<NonNullGraphType<StringGraphType>>("keyId").Resolve(c => c.Source.KeyId);
        Field<NonNullGraphType<StringGraphType>>("algorithm").Description("ES256: ECDSA P-256 with SHA-256, signature as r‖s (64 bytes).").Resolve(_ => "ES256");
        Field<NonNullGraphType<StringGraphType>>("publicKeyPem").Description("SubjectPublicKeyInfo, PEM.").Resolve(c => c.Source.Pem);
        Field<NonNullGraphType<StringGraphType>>("codeFormat")
            .Description("How to check a code offline.")
            .Resolve(_ => "base64url(payload) '.' base64url(signature); payload = 0x01, ticket id (16 bytes, big-endian), event id (16 bytes), venue id (UTF-8); signature over payload.");
    }
}

/// <summary>Check-in by code, and the venues' public ticket keys.</summary>
public sealed class TicketFields : IMutationFields, IQueryFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CheckInResultGraphType>>("checkIn")
            .Description("Checks a scanned ticket in at the venue (venue CASHIER): CHECKED_IN once; a later scan answers ALREADY_CHECKED_IN with when, where and by whom " +
                         "it was first scanned; WRONG_DAY outside the event's days. Errors: TICKET_FORGED (not a code, or not signed by its venue), TICKET_WRONG_VENUE " +
                         "(a genuine ticket of another venue), TICKET_CANCELLED.")
            .Argument<NonNullGraphType<CheckInInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CheckInInput>("input");
                var venue = VenueId.Parse(input.VenueId);
                await c.RequireCounterAsync(venue);
                var code = await c.Service<TicketKeys>().VerifyAsync(input.Code, c.CancellationToken);
                if (code.Venue != venue)
                {
                    throw new DomainException(ErrorCodes.TicketWrongVenue, "This ticket is for another venue.");
                }

                var where = string.IsNullOrWhiteSpace(input.Where) ? "api" : input.Where.Trim();
                if (where.Length > 100)
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "'where' has at most 100 characters.");
                }

                var by = c.Caller().StaffUserId()?.ToString() ?? "staff";
                return await c.Grains().GetEvent(new EventId(code.Event)).CheckInAsync(new CheckInRequest(code.Ticket, by, where), c.CancellationToken);
            });
    }

    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<VenueTicketKeyGraphType>>("venueTicketKey")
            .Description("The public key a venue's tickets are signed with, for checking codes offline (anonymous). NOT_FOUND for an unknown venue.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var venue = VenueId.Parse(c.GetArgument<string>("venueId"));
                await c.Grains().GetVenue(venue).GetDetailsAsync(c.CancellationToken);
                return await c.Service<TicketKeys>().PublicKeyAsync(venue, c.CancellationToken);
            });
    }
}

using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Cards;

public sealed class CardQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<CardGraphType>>("card")
            .Description("A card by NFC UID or by printed number (give one). UNKNOWN_CARD when it is not registered. Staff holding a role at some "
                         + "venue, and the instance admin, read any card; anyone else (a customer, staff without a role) only their own cards, "
                         + "those linked to their e-mail (FORBIDDEN otherwise).")
            .Argument<StringGraphType>("uid")
            .Argument<StringGraphType>("number")
            .RequirePolicy(Policies.StaffOrCustomer)
            .ResolveAsync(async c =>
            {
                var uid = c.GetArgument<string?>("uid");
                var number = c.GetArgument<string?>("number");
                if ((uid is null) == (number is null))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give exactly one of uid or number.");
                }

                if (await IsVenueStaffAsync(c))
                {
                    return await FindAsync(c, uid, number);
                }

                // Anyone else learns nothing about other cards, not even whether they exist.
                var own = await c.OwnWalletAsync();
                CardDetails? details = null;
                try
                {
                    details = own is null ? null : await FindAsync(c, uid, number);
                }
                catch (DomainException e) when (e.Code == ErrorCodes.UnknownCard)
                {
                    // Answered as FORBIDDEN below, like any card that is not theirs.
                }

                return details is not null && details.Wallet == own
                    ? details
                    : throw new DomainException(ErrorCodes.Forbidden, "Only venue staff read other people's cards.");
            });
    }

    private static async Task<CardDetails> FindAsync(IResolveFieldContext c, string? uid, string? number)
    {
        var card = uid is not null
            ? CardUid.Parse(uid)
            : (await c.Service<CardStore>().FindByNumberAsync(CardNumber.Parse(number), c.CancellationToken))?.Uid
              ?? throw new DomainException(ErrorCodes.UnknownCard, "No card has this printed number.");
        return await c.Grains().GetCard(card).GetDetailsAsync(c.CancellationToken);
    }

    private static async Task<bool> IsVenueStaffAsync(IResolveFieldContext context) =>
        context.Caller().IsInstanceAdmin()
        || (context.Caller().StaffUserId() is { } userId && await context.Service<IdentityStore>().HasAnyVenueRoleAsync(userId, context.CancellationToken));
}

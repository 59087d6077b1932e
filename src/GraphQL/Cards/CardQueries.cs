using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Common;

namespace TiBillet.GraphQL.Cards;

public sealed class CardQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<CardGraphType>>("card")
            .Description("A card by NFC UID or by printed number (give one). UNKNOWN_CARD when it is not registered.")
            .Argument<StringGraphType>("uid")
            .Argument<StringGraphType>("number")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var uid = c.GetArgument<string?>("uid");
                var number = c.GetArgument<string?>("number");
                if ((uid is null) == (number is null))
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give exactly one of uid or number.");
                }

                var card = uid is not null
                    ? CardUid.Parse(uid)
                    : (await c.Service<CardStore>().FindByNumberAsync(CardNumber.Parse(number), c.CancellationToken))?.Uid
                      ?? throw new DomainException(ErrorCodes.UnknownCard, "No card has this printed number.");
                return await c.Grains().GetCard(card).GetDetailsAsync(c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CardGraphType>>>>("myCards")
            .Description("The signed-in customer's cards: those linked to their e-mail's wallet, lost ones included.")
            .RequirePolicy(Policies.Customer)
            .ResolveAsync(async c =>
            {
                var email = c.Caller().CustomerEmail() ?? throw new DomainException(ErrorCodes.Forbidden, "A customer sign-in is needed.");
                var store = c.Service<CardStore>();
                return await store.FindUserWalletAsync(email, c.CancellationToken) is { } wallet
                    ? await store.FindOwnedAsync(wallet, c.CancellationToken)
                    : [];
            });
    }
}

using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.GraphQL.Cards;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Ledger;
using TiBillet.GraphQL.Wallets;
using History = TiBillet.Grains.Ledger.LedgerHistory;

namespace TiBillet.GraphQL.Customers;

/// <summary>What a wallet's owner (a customer, or a staff user by their account's e-mail) reads of their own.</summary>
public sealed class CustomerQueries : IQueryFields
{
    /// <summary>Most cards listed: a person holds a handful; the cap keeps the answer bounded.</summary>
    public const int MaxCards = 100;

    private const int MaxPage = 200;

    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CardGraphType>>>>("myCards")
            .Description($"The cards linked to the caller's own wallet (identified or lost), oldest first, at most {MaxCards}; empty when there is no wallet.")
            .RequirePolicy(Policies.StaffOrCustomer)
            .ResolveAsync(async c => await c.OwnWalletAsync() is { } own
                ? (await c.Service<CardStore>().ListByUserWalletAsync(own, MaxCards, c.CancellationToken)).Select(r => r.ToDetails()).ToList()
                : []);

        query.Field<NonNullGraphType<TransactionConnectionGraphType>>("myHistory")
            .Description("The transactions of the caller's own wallet, newest first, paged as transactions is; empty when there is no wallet.")
            .Argument<TransactionKindGraphType>("kind")
            .Argument<DateTimeOffsetGraphType>("from", "Inclusive.")
            .Argument<DateTimeOffsetGraphType>("to", "Exclusive.")
            .Argument<IntGraphType>("first", "Page size, 1 to 200 (default 50).")
            .Argument<StringGraphType>("after")
            .RequirePolicy(Policies.StaffOrCustomer)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 50);
                if (first is < 1 or > MaxPage)
                {
                    throw new DomainException(ErrorCodes.BadUserInput, $"first must be between 1 and {MaxPage}.");
                }

                if (await c.OwnWalletAsync() is not { } own)
                {
                    return new HistoryPage(ImmutableArray<LedgerTransaction>.Empty, null, false);
                }

                var filter = new HistoryFilter(own, null, null, c.GetArgument<TransactionKind?>("kind"), c.GetArgument<DateTimeOffset?>("from"), c.GetArgument<DateTimeOffset?>("to"));
                return await c.Service<History>().GetHistoryAsync(filter, first, c.GetArgument<string?>("after"), c.CancellationToken);
            });
    }
}

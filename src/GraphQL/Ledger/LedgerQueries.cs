using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.Ledger;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Wallets;
using History = TiBillet.Grains.Ledger.LedgerHistory;

namespace TiBillet.GraphQL.Ledger;

public sealed class LedgerQueries : IQueryFields
{
    private const int MaxPage = 200;

    public void AddTo(QueryGraphType query)
    {
        query.Field<NonNullGraphType<TransactionConnectionGraphType>>("transactions")
            .Description("Transaction history, newest first, with filters. With venueId: that venue's transactions (venue VIEWER; a walletId must be a customer wallet or this venue's own); otherwise instance admin.")
            .Argument<IdGraphType>("walletId")
            .Argument<StringGraphType>("cardUid")
            .Argument<IdGraphType>("venueId")
            .Argument<TransactionKindGraphType>("kind")
            .Argument<DateTimeOffsetGraphType>("from", "Inclusive.")
            .Argument<DateTimeOffsetGraphType>("to", "Exclusive.")
            .Argument<IntGraphType>("first", "Page size, 1 to 200 (default 50).")
            .Argument<StringGraphType>("after")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async c =>
            {
                var venueArg = c.GetArgument<string?>("venueId");
                VenueId? venue = venueArg is null ? null : VenueId.Parse(venueArg);
                var wallet = c.GetArgument<string?>("walletId");
                if (venue is { } v)
                {
                    await c.RequireVenueRoleAsync(v, VenueRole.Viewer);
                    if (wallet is not null && !c.Caller().IsInstanceAdmin())
                    {
                        await c.RequireReadableAtAsync(WalletId.Parse(wallet), v);
                    }
                }
                else
                {
                    c.RequireInstanceAdmin();
                }

                var first = c.GetArgument("first", 50);
                if (first is < 1 or > MaxPage)
                {
                    throw new DomainException(ErrorCodes.BadUserInput, $"first must be between 1 and {MaxPage}.");
                }

                var card = c.GetArgument<string?>("cardUid");
                var filter = new HistoryFilter(
                    wallet is null ? null : WalletId.Parse(wallet),
                    card is null ? null : CardUid.Parse(card),
                    venue,
                    c.GetArgument<TransactionKind?>("kind"),
                    c.GetArgument<DateTimeOffset?>("from"),
                    c.GetArgument<DateTimeOffset?>("to"));
                return await c.Service<History>().GetHistoryAsync(filter, first, c.GetArgument<string?>("after"), c.CancellationToken);
            });

        query.Field<NonNullGraphType<LedgerVerificationGraphType>>("verifyLedger")
            .Description("Recomputes every hash chain and balance from the transactions and reports mismatches (instance admin).")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async c => await c.Service<LedgerVerifier>().VerifyAsync(c.CancellationToken));
    }
}

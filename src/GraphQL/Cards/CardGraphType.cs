using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Cards;

public sealed class CardGraphType : ObjectGraphType<CardDetails>
{
    public CardGraphType()
    {
        Name = "Card";
        Field<NonNullGraphType<StringGraphType>>("uid").Description("NFC UID, upper-case hex.").Resolve(c => c.Source.Uid.Value);
        Field<NonNullGraphType<StringGraphType>>("number").Description("The 8-character printed number.").Resolve(c => c.Source.Number.Value);
        Field<StringGraphType>("qrId")
            .Description("The secret printed on the card: it proves the card is in hand (linkMyCard, refunds). Shown to the instance admin only, null to others.")
            .Resolve(c => c.User?.IsInstanceAdmin() == true ? c.Source.QrId : null);
        Field(x => x.Batch, nullable: true);
        Field<NonNullGraphType<CardStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<IdGraphType>("walletId").Resolve(c => c.Source.Wallet?.ToString());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("cashierAt")
            .Description("Venues where this is a primary (cashier) card.")
            .Resolve(c => c.Source.CashierAt.Select(v => v.Value));
        Field(x => x.RegisteredAt);
        Field<IdGraphType>("blockedBy").Description("The venue whose staff blocked the card (it pays nothing anywhere meanwhile), or null.")
            .Resolve(c => c.Source.BlockedBy?.Value);
        Field<StringGraphType>("blockedReason").Resolve(c => c.Source.BlockedReason);
    }
}

using GraphQL.Types;
using TiBillet.Grains.Cards;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.Cards;

public sealed class LinkCardResultGraphType : ObjectGraphType<LinkCardResult>
{
    public LinkCardResultGraphType()
    {
        Name = "LinkCardResult";
        Field<NonNullGraphType<CardGraphType>>("card").Resolve(c => c.Source.Card);
        Field<NonNullGraphType<IdGraphType>>("userWalletId").Resolve(c => c.Source.UserWallet.ToString());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssetMovementGraphType>>>>("moved")
            .Description("Balances fused from the card's wallet into the user's.")
            .Resolve(c => c.Source.Moved);
    }
}

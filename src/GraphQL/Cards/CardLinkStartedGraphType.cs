using GraphQL.Types;
using TiBillet.Grains.Cards;

namespace TiBillet.GraphQL.Cards;

public sealed class CardLinkStartedGraphType : ObjectGraphType<CardLinkStarted>
{
    public CardLinkStartedGraphType()
    {
        Name = "CardLinkStarted";
        Description = "A link waiting for the e-mail's owner: the confirmation code went to the address only, never to the counter.";
        Field<NonNullGraphType<StringGraphType>>("uid").Resolve(c => c.Source.Uid.Value);
        Field<NonNullGraphType<IdGraphType>>("venueId").Resolve(c => c.Source.Venue.Value);
        Field(x => x.ExpiresAt).Description("Until when the mailed code is valid.");
        Field(x => x.Confirmed).Description("Already confirmed (this key was brought back): nothing was mailed again.");
    }
}

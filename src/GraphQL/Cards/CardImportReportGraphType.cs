using GraphQL.Types;
using TiBillet.Grains.Cards;

namespace TiBillet.GraphQL.Cards;

public sealed class CardImportReportGraphType : ObjectGraphType<CardImportReport>
{
    public CardImportReportGraphType()
    {
        Name = "CardImportReport";
        Field(x => x.Received);
        Field(x => x.Registered);
        Field(x => x.AlreadyRegistered);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CardImportErrorGraphType>>>>("errors").Resolve(c => c.Source.Errors);
    }
}

namespace TiBillet.GraphQL.Cards;

public sealed class NewCardInput
{
    public string Uid { get; set; } = "";

    public string Number { get; set; } = "";

    public string QrId { get; set; } = "";
}

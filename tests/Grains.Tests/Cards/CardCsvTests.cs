using TiBillet.Grains.Cards;

namespace TiBillet.Grains.Tests.Cards;

/// <summary>CSV splitting alone: no cluster.</summary>
public sealed class CardCsvTests
{
    [Fact]
    public void Reads_header_separators_quotes_and_keeps_file_line_numbers()
    {
        const string csv = "uid,number,qr_id\r\n04A2B3C4D5E6F7,AB12CD34,qr-1\n\n\"04:a2:b3:c4\";\"ZZ99YY88\";qr-2\n# comment\nbroken line\n";
        var rows = CardCsv.Parse(csv).ToList();

        Assert.Equal(3, rows.Count);
        Assert.Equal((2, new NewCard("04A2B3C4D5E6F7", "AB12CD34", "qr-1"), (string?)null), rows[0]);
        Assert.Equal(4, rows[1].Line);
        Assert.Equal(new NewCard("04:a2:b3:c4", "ZZ99YY88", "qr-2"), rows[1].Card);
        Assert.Equal(6, rows[2].Line);
        Assert.Null(rows[2].Card);
        Assert.NotNull(rows[2].Error);
    }
}

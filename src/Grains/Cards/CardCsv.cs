namespace TiBillet.Grains.Cards;

/// <summary>Splits card CSV text into (line number, fields). Pure: tested without a cluster.</summary>
public static class CardCsv
{
    public static IEnumerable<(int Line, NewCard? Card, string? Error)> Parse(string csv)
    {
        var lines = (csv ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var separator = text.Contains(';', StringComparison.Ordinal) && !text.Contains(',', StringComparison.Ordinal) ? ';' : ',';
            var fields = text.Split(separator).Select(f => f.Trim().Trim('"').Trim()).ToArray();
            if (i == 0 && fields.Length > 0 && fields[0].Equals("uid", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return fields.Length == 3
                ? (i + 1, new NewCard(fields[0], fields[1], fields[2]), null)
                : (i + 1, null, "Expected three fields: uid, number, qr_id.");
        }
    }
}

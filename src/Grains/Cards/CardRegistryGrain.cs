using System.Collections.Immutable;
using Orleans.Concurrency;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Cards;

/// <summary>Bulk card registration in SQL. Stateless, so imports spread over silos and never queue behind one activation.</summary>
[StatelessWorker]
public sealed class CardRegistryGrain(CardStore store, CardLinkStore links) : Grain, ICardRegistryGrain
{
    public const int MaxCards = 50_000;
    public const int MaxQrLength = 100;
    public const int MaxBatchNameLength = 100;

    public Task<CardImportReport> RegisterAsync(RegisterCardsRequest request, CancellationToken cancellationToken = default)
    {
        var cards = request.Cards.IsDefault ? [] : request.Cards;
        return ImportAsync(cards.Select((c, i) => (i + 1, (NewCard?)c, (string?)null)).ToList(), request.Batch, cancellationToken);
    }

    public Task<CardImportReport> ImportCsvAsync(string csv, string? batch, CancellationToken cancellationToken = default) =>
        ImportAsync(CardCsv.Parse(csv).ToList(), batch, cancellationToken);

    public async Task<LinkCardResult> ConfirmLinkAsync(ConfirmCardLinkRequest request, CancellationToken cancellationToken = default)
    {
        var token = request.Token?.Trim() ?? "";
        var link = token.Length is > 0 and <= 200
            ? await links.FindByTokenAsync(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)), cancellationToken)
            : null;
        return link is null
            ? throw new DomainException(ErrorCodes.InvalidLinkToken, "This confirmation code is unknown or has expired; ask for a new one at the counter.")
            : await GrainFactory.GetCard(link.Uid).ConfirmLinkAsync(request, cancellationToken);
    }

    public Task<WalletId?> FindUserWalletAsync(EmailAddress email, CancellationToken cancellationToken = default) =>
        store.FindUserWalletAsync(email, cancellationToken);

    private async Task<CardImportReport> ImportAsync(List<(int Line, NewCard? Card, string? Error)> input, string? batch, CancellationToken cancellationToken)
    {
        if (input.Count > MaxCards)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"At most {MaxCards} cards per import.");
        }

        batch = string.IsNullOrWhiteSpace(batch) ? null : batch.Trim();
        if (batch?.Length > MaxBatchNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A batch name is at most {MaxBatchNameLength} characters.");
        }

        var errors = ImmutableArray.CreateBuilder<CardImportError>();
        var valid = new List<(int Line, CardUid Uid, CardNumber Number, string QrId)>();
        var seenUid = new Dictionary<string, int>();
        var seenNumber = new Dictionary<string, int>();
        var seenQr = new Dictionary<string, int>();
        var alreadyInFile = 0;
        foreach (var (line, card, error) in input)
        {
            if (card is null)
            {
                errors.Add(new CardImportError(line, ErrorCodes.BadUserInput, error!));
                continue;
            }

            if (!CardUid.TryParse(card.Uid, out var uid))
            {
                errors.Add(new CardImportError(line, ErrorCodes.BadUserInput, "The UID must be 4 or 7 bytes in hex."));
                continue;
            }

            if (!CardNumber.TryParse(card.Number, out var number))
            {
                errors.Add(new CardImportError(line, ErrorCodes.BadUserInput, "The printed number must be 8 letters or digits."));
                continue;
            }

            var qr = card.QrId?.Trim() ?? "";
            if (qr.Length is 0 or > MaxQrLength || qr.Any(char.IsControl))
            {
                errors.Add(new CardImportError(line, ErrorCodes.BadUserInput, $"The QR id must be 1 to {MaxQrLength} printable characters."));
                continue;
            }

            if (seenUid.TryGetValue(uid.Value, out var first))
            {
                var same = valid.First(v => v.Line == first);
                if (same.Number == number && same.QrId == qr)
                {
                    alreadyInFile++;
                }
                else
                {
                    errors.Add(new CardImportError(line, ErrorCodes.Conflict, $"The UID is already on line {first} with other values."));
                }

                continue;
            }

            if (seenNumber.TryGetValue(number.Value, out first) || seenQr.TryGetValue(qr, out first))
            {
                errors.Add(new CardImportError(line, ErrorCodes.Conflict, $"The number or QR id is already on line {first}."));
                continue;
            }

            seenUid[uid.Value] = line;
            seenNumber[number.Value] = line;
            seenQr[qr] = line;
            valid.Add((line, uid, number, qr));
        }

        var registered = 0;
        var already = alreadyInFile;
        if (valid.Count > 0)
        {
            var cards = valid.Select(v => (v.Uid, v.Number, v.QrId)).ToList();
            var inserted = await store.InsertAsync(cards, batch, cancellationToken);
            registered = inserted.Count;
            var rest = valid.Where(v => !inserted.Contains(v.Uid.Value)).ToList();
            if (rest.Count > 0)
            {
                var clashes = await store.FindClashesAsync([.. rest.Select(v => (v.Uid, v.Number, v.QrId))], cancellationToken);
                foreach (var v in rest)
                {
                    if (clashes.Any(c => c.Uid == v.Uid.Value && c.Number == v.Number.Value && c.QrId == v.QrId))
                    {
                        already++;
                    }
                    else
                    {
                        errors.Add(new CardImportError(v.Line, ErrorCodes.Conflict, "The UID, number or QR id belongs to another registered card."));
                    }
                }
            }
        }

        return new CardImportReport(input.Count, registered, already, [.. errors.OrderBy(e => e.Line)]);
    }
}

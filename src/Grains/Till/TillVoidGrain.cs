using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Till;

/// <summary>
/// See <see cref="ITillVoidGrain"/>. Not reentrant: the "already voided?" check and the void's commit of one request never
/// interleave with another's. Keeps nothing in memory; the unique index on <c>sale_lines.voids_line_id</c> is the last guard.
/// </summary>
public sealed partial class TillVoidGrain(
    SaleLineStore lines,
    CardStore cards,
    CatalogStore catalog,
    LedgerWriter writer,
    Serializer serializer,
    ILogger<TillVoidGrain> logger) : Grain, ITillVoidGrain
{
    public const int MaxLines = 100;

    private VenueId Venue => new(this.GetPrimaryKeyString());

    public async Task<ImmutableArray<VoidedLine>> VoidAsync(TillVoidRequest request, CancellationToken cancellationToken = default)
    {
        var reason = request.Reason?.Trim() ?? "";
        var ids = request.Lines.IsDefault ? [] : request.Lines.Distinct().ToImmutableArray();
        if (reason.Length is 0 or > 500 || ids.Length is 0 or > MaxLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A void names 1 to {MaxLines} lines and a reason of 1 to 500 characters.");
        }

        var found = (await lines.FindAsync(Venue, ids, cancellationToken)).ToDictionary(l => l.Id);
        var todo = new List<(StoredSaleLine Line, IdempotencyKey Key)>();
        foreach (var id in ids)
        {
            var line = found.GetValueOrDefault(id) ?? throw new DomainException(ErrorCodes.NotFound, $"No sale line {id} at this venue.");
            var key = KeyOf(request.Key, id);
            if (line.Row.Kind == SaleLineKind.Void || (line.Voided && line.VoidKey != key.Value))
            {
                throw new DomainException(ErrorCodes.AlreadyVoided, $"Sale line {id} is voided already.");
            }

            if (line.Row.Kind is not (SaleLineKind.Sale or SaleLineKind.Membership) || line.Row.Amount <= 0)
            {
                throw new DomainException(ErrorCodes.BadUserInput, $"Sale line {id} is not a paid sale line.");
            }

            todo.Add((line, key));
        }

        var voided = ImmutableArray.CreateBuilder<VoidedLine>(todo.Count);
        foreach (var (line, key) in todo)
        {
            voided.Add(await VoidOneAsync(line, key, reason, request.VoidedBy, cancellationToken));
            if (line.Row is { Product: { } product, Quantity: > 0 })
            {
                // Given back once per void key, whether or not the product still counts stock (uncounted products move nothing).
                await catalog.TakeStockAsync(key, [(product, -(long)line.Row.Quantity)], cancellationToken);
            }
        }

        LogVoided(logger, Venue.Value, voided.Count);
        return voided.MoveToImmutable();
    }

    private static IdempotencyKey KeyOf(IdempotencyKey request, long line) => request.Derive("void-" + line.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task<VoidedLine> VoidOneAsync(StoredSaleLine line, IdempotencyKey key, string reason, string by, CancellationToken cancellationToken)
    {
        var r = line.Row;
        var row = r with { Kind = SaleLineKind.Void, Amount = -r.Amount, VoidsLine = line.Id, Reason = reason };
        var rows = new TillRows(line.Context with { Cashier = by, Session = null }, [row]);
        if (r.Means == SaleLineMeans.Card)
        {
            // Back to the wallet the card pays from now (its owner's once linked), from the venue's wallet the sale paid.
            var card = r.Card is { } uid ? await cards.FindByUidAsync(uid, cancellationToken) : null;
            if (card is null || r.Asset is not { } asset)
            {
                throw new DomainException(ErrorCodes.BadUserInput, $"Sale line {line.Id} names no card to credit back.");
            }

            var wallet = card.UserWallet ?? card.CardWallet;
            var back = await GrainFactory.GetWallet(wallet).TakeBackSaleAsync(
                new SaleReturnRequest(key, Venue, [new AssetMovement(asset, r.Amount, wallet, WalletId.OfVenue(Venue))], rows), cancellationToken);
            return new VoidedLine(line.Id, r.Amount, r.Means, asset, r.Card, back.OperationId!.Value);
        }

        var means = r.Means == SaleLineMeans.BankCard ? PaymentMeans.BankCard : PaymentMeans.Cash;
        using var hasher = new RequestHasher("till-void").Add(Venue).Add(line.Id).Add(r.Amount).Add(means);
        var hash = hasher.Finish();
        var opId = Guid.CreateVersion7();
        var result = new VoidedLine(line.Id, r.Amount, r.Means, null, null, opId);
        var entry = new LedgerEntry(opId, key, hash, TransactionKind.Refund, [], [], serializer.SerializeToArray(result), Venue, null, r.Amount, means, rows);
        LedgerCommit commit;
        try
        {
            commit = await writer.SubmitAsync(entry);
        }
        catch (LedgerUnavailableException)
        {
            throw new DomainException(ErrorCodes.Unavailable, "The void could not be recorded; retry with the same key.");
        }

        return commit.Status switch
        {
            LedgerCommitStatus.Committed => result,
            LedgerCommitStatus.Duplicate when commit.Existing is { } existing && existing.RequestHash.AsSpan().SequenceEqual(hash) =>
                serializer.Deserialize<VoidedLine>(existing.Result)!,
            LedgerCommitStatus.Duplicate => throw new DomainException(ErrorCodes.Conflict, "This idempotency key was used for another request."),
            _ => throw new DomainException(ErrorCodes.Unavailable, "The void could not be recorded; retry with the same key."),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Till of {Venue}: {Count} sale lines voided")]
    private static partial void LogVoided(ILogger logger, string venue, int count);
}

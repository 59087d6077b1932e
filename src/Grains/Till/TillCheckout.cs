using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Till;

/// <summary>
/// A sale at a till from its catalog: <see cref="Card"/> pays (the remainder by <see cref="Complement"/>: cash, bank card
/// or <see cref="SecondCard"/>), or, with no card, the whole basket is paid in cash or by bank card. <see cref="Priced"/>, set
/// only by an order grain, carries lines it priced from the catalog when they were ordered (and parts of lines for a share);
/// <see cref="Lines"/> is then ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.TillSellRequest")]
public sealed record TillSellRequest(
    IdempotencyKey Key,
    PointOfSaleId PointOfSale,
    CardUid Cashier,
    string CashierUser,
    ImmutableArray<SellLine> Lines,
    CardUid? Card,
    PaymentMeans Complement,
    CardUid? SecondCard,
    Guid? Session = null,
    string? Table = null,
    Guid? Order = null,
    ImmutableArray<PricedLine> Priced = default);

/// <summary>
/// Sells a till basket: prices it from the catalog, takes counted stock, and pays it through the card's wallet (sale lines
/// travel with the ledger operation) or, without a card, as a ledger operation with external means only. Stock taken for
/// a declined or refused sale is given back; after an unknown outcome it stays taken for the retry with the same key.
/// Thread-safe; one per silo.
/// </summary>
public sealed partial class TillCheckout(
    IGrainFactory grains,
    CatalogStore catalog,
    CardWallets cards,
    CashierRightsCache cashiers,
    LedgerWriter writer,
    Serializer serializer,
    ILogger<TillCheckout> logger)
{
    /// <summary>
    /// Sells the basket. Refusals: BAD_USER_INPUT (see <see cref="BasketPricer.Price"/>; a card-less sale not in cash or by
    /// bank card; a basket limited to one asset with no card or with a complement), OUT_OF_STOCK, FORBIDDEN (cashier card),
    /// UNKNOWN_CARD, CONFLICT (key reused with another basket), UNAVAILABLE (retry with the same key). Declines are results.
    /// </summary>
    public async Task<PaymentResult> SellAsync(TillSellRequest request, CancellationToken cancellationToken = default)
    {
        var lines = request.Lines.IsDefault ? [] : request.Lines;
        var prepriced = !request.Priced.IsDefault;
        var products = prepriced ? request.Priced.Where(l => l.Product is not null).Select(l => l.Product!.Value) : lines.Select(l => l.Product);
        var menu = await catalog.MenuAsync(request.PointOfSale.Venue, request.PointOfSale.Code, [.. products.Distinct()], cancellationToken);
        var priced = prepriced ? request.Priced : BasketPricer.Price(lines, menu);
        Cents.RequirePositive(priced.Sum(l => l.Amount), "basket total");
        var till = new TillSale(new TillContext(request.PointOfSale.Code, request.CashierUser, request.Session, request.Table, request.Order), priced);
        CheckPayment(request, till);

        var counted = menu.Where(m => m.Stock is not null).Select(m => m.Product).ToHashSet();
        var stock = priced.Where(l => l.Kind == SaleLineKind.Sale && l.Product is { } p && counted.Contains(p))
            .Select(l => (l.Product!.Value, (long)l.Quantity)).ToList();
        if (!await catalog.TakeStockAsync(request.Key, stock, cancellationToken))
        {
            throw new DomainException(ErrorCodes.OutOfStock, "A product of the basket is out of stock.");
        }

        PaymentResult result;
        try
        {
            result = await PayAsync(request, till, cancellationToken);
        }
        catch (DomainException ex) when (ex.Code != ErrorCodes.Unavailable)
        {
            await catalog.ReleaseStockAsync(request.Key, cancellationToken);
            throw;
        }

        if (!result.Approved)
        {
            await catalog.ReleaseStockAsync(request.Key, cancellationToken);
        }

        return result;
    }

    private static void CheckPayment(TillSellRequest request, TillSale till)
    {
        if (request.Card is null && request.Complement is not (PaymentMeans.Cash or PaymentMeans.BankCard))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Without a card, a basket is paid in CASH or by BANK_CARD.");
        }

        if (till.OnlyAsset is not null && (request.Card is null || request.Complement != PaymentMeans.None))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A basket payable only in one asset is paid by one card, with no complement.");
        }

        if ((request.Complement == PaymentMeans.SecondCard) != (request.SecondCard is not null) || request.Complement == PaymentMeans.Online)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A complement is cash, bank card, or a second card (named).");
        }
    }

    private async Task<PaymentResult> PayAsync(TillSellRequest request, TillSale till, CancellationToken cancellationToken)
    {
        var venue = request.PointOfSale.Venue;
        var sale = new SaleRequest(request.Key, venue, request.Cashier, BasketPricer.AsSaleLines(till.Lines), request.Card is null ? PaymentMeans.None : request.Complement,
            request.SecondCard, till);
        if (request.Card is { } card)
        {
            return sale.NamesSecondCard
                ? await grains.GetCard(card).PayWithSecondCardAsync(sale, cancellationToken)
                : await (await cards.OwnWalletAsync(card, cancellationToken)).PayWithCardAsync(sale, card, cancellationToken);
        }

        return await PayExternallyAsync(sale, request.Complement, till, cancellationToken);
    }

    // No wallet takes part, so no grain is the single writer here: the ledger's unique key makes a retry replay the first answer.
    private async Task<PaymentResult> PayExternallyAsync(SaleRequest sale, PaymentMeans means, TillSale till, CancellationToken cancellationToken)
    {
        if (!await cashiers.IsCashierAtAsync(sale.Cashier, sale.Venue, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, "This card is not a cashier card of the venue.");
        }

        var total = Basket.Total(sale.Lines);
        var hash = ExternalHash(sale, means);
        var opId = Guid.CreateVersion7();
        var result = new PaymentResult(true, DeclineReason.None, total, 0, 0, total, means, 0, [], [], opId, DateTimeOffset.UtcNow);
        var rows = TillSaleRows.For(till, [], new CardUid("00000000"), [], null, total, means);
        var entry = new LedgerEntry(opId, sale.Key, hash, TransactionKind.Sale, [], [], serializer.SerializeToArray(result), sale.Venue, null, total, means, rows);
        LedgerCommit commit;
        try
        {
            commit = await writer.SubmitAsync(entry);
        }
        catch (LedgerUnavailableException ex)
        {
            LogUnavailable(logger, ex, sale.Venue.Value);
            throw new DomainException(ErrorCodes.Unavailable, "The sale could not be recorded; retry with the same key.");
        }

        return commit.Status switch
        {
            LedgerCommitStatus.Committed => result,
            LedgerCommitStatus.Duplicate when commit.Existing is { } existing && existing.RequestHash.AsSpan().SequenceEqual(hash) =>
                serializer.Deserialize<PaymentResult>(existing.Result)!,
            LedgerCommitStatus.Duplicate => throw new DomainException(ErrorCodes.Conflict, "This idempotency key was used for another request."),
            _ => throw new DomainException(ErrorCodes.Unavailable, "The sale could not be recorded; retry with the same key."),
        };
    }

    private static byte[] ExternalHash(SaleRequest sale, PaymentMeans means)
    {
        using var hasher = new RequestHasher("till-external-sale").Add(sale.Venue).Add(sale.Cashier).Add(means);
        foreach (var line in sale.Till!.Lines)
        {
            hasher.Add(line.Product?.ToString()).Add(line.Name).Add(line.Quantity).Add(line.UnitPrice).Add((long)line.Kind);
            if (line.Part is { } part)
            {
                hasher.Add(part);
            }
        }

        return hasher.Add(sale.Till.Context.PointOfSale).Add(sale.Till.Context.Cashier).Add(sale.Till.Context.Table).Add(sale.Till.Context.Order?.ToString()).Finish();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Till sale at {Venue}: ledger unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string venue);
}

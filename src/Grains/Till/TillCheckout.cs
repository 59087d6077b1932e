using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Till;

/// <summary>
/// A sale at a till from its catalog: <see cref="Card"/> pays (the remainder by <see cref="Complement"/>: cash, bank card
/// or <see cref="SecondCard"/>), or, with no card, the whole basket is paid in cash or by bank card. <see cref="Priced"/>, set
/// only by an order grain, carries lines it priced from the catalog when they were ordered (and parts of lines for a share);
/// <see cref="Lines"/> is then ignored. Baskets of other
/// behaviours (<see cref="TillBasket"/>) take the same fields: <see cref="CardQrId"/> is the card's printed secret, the
/// proof emptying a card needs; <see cref="MaxSale"/> and <see cref="MaxTopUp"/> bound the priced total (the API's money limits).
/// <see cref="CardPays"/> false: the card only names whose membership it is, and the whole sale is paid by the complement (cash
/// or bank card), so a member can join with an empty card.
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
    ImmutableArray<PricedLine> Priced = default,
    string? CardQrId = null,
    long? MaxSale = null,
    long? MaxTopUp = null,
    bool CardPays = true);

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
    CardStore cardRows,
    CashierRightsCache cashiers,
    VenueProfileCache venues,
    LedgerWriter writer,
    Serializer serializer,
    ILogger<TillCheckout> logger)
{
    /// <summary>
    /// Sells the basket. Refusals: BAD_USER_INPUT (see <see cref="BasketPricer.Price"/> and <see cref="TillBasket.Classify"/>;
    /// a card-less sale, or one whose card does not pay, not in cash or by bank card; a basket limited to one asset with no card or with a complement; a
    /// total over the limits), CARD_REQUIRED, BASKET_MIXES_BEHAVIOURS, WRONG_ASSET, CARD_PROOF_REQUIRED (emptying a card
    /// without its printed secret), OUT_OF_STOCK, FORBIDDEN (cashier card), UNKNOWN_CARD, CONFLICT (key reused with another
    /// basket), UNAVAILABLE (retry with the same key). Declines are results. Money given back (a deposit, a card emptied)
    /// is a negative total.
    /// </summary>
    public async Task<PaymentResult> SellAsync(TillSellRequest request, CancellationToken cancellationToken = default)
    {
        var lines = request.Lines.IsDefault ? [] : request.Lines;
        var prepriced = !request.Priced.IsDefault;
        var products = prepriced ? request.Priced.Where(l => l.Product is not null).Select(l => l.Product!.Value) : lines.Select(l => l.Product);
        var menu = await catalog.MenuAsync(request.PointOfSale.Venue, request.PointOfSale.Code, [.. products.Distinct()], cancellationToken);
        var priced = prepriced ? request.Priced : BasketPricer.Price(lines, menu);
        if (prepriced)
        {
            // An order pays lines or shares of what it owes: never nothing, never money back.
            Cents.RequirePositive(priced.Sum(l => l.Amount), "basket total");
        }

        var till = new TillSale(new TillContext(request.PointOfSale.Code, request.CashierUser, request.Session, request.Table, request.Order), priced);
        var kind = TillBasket.Classify(priced, request.Card is not null, request.Complement, request.SecondCard is not null);
        var total = BasketPricer.Total(priced);
        var limit = kind == TillBasketKind.TopUp ? request.MaxTopUp : request.MaxSale;
        if (limit is { } max && Math.Abs(total) > max)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"The basket's total is over this instance's limit ({max} cents).");
        }

        if (kind != TillBasketKind.Sale && !request.CardPays)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Only a sale is paid without the card paying (cardPays: false).");
        }

        if (kind != TillBasketKind.Sale)
        {
            return await SettleOtherAsync(kind, request, till, total, cancellationToken);
        }

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
            return result;
        }

        await RecordMembershipsAsync(request, till, menu, result, cancellationToken);
        return result;
    }

    private static void CheckPayment(TillSellRequest request, TillSale till)
    {
        if (!request.CardPays)
        {
            CheckCardNamesOnly(request, till);
            return;
        }

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

    // The card is only named (for a membership's holder): everything is paid outside, so only cash or bank card, one card.
    private static void CheckCardNamesOnly(TillSellRequest request, TillSale till)
    {
        if (request.Card is null)
        {
            throw new DomainException(ErrorCodes.CardRequired, "A card that does not pay still names whose membership it is: tap it.");
        }

        if (request.Complement is not (PaymentMeans.Cash or PaymentMeans.BankCard) || request.SecondCard is not null || till.OnlyAsset is not null)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "When the card does not pay, the whole basket is paid in CASH or by BANK_CARD.");
        }
    }

    // Each membership line extends the card holder's membership once per unit, under a key derived from the sale's, so a
    // retried sale (replayed by the ledger) records nothing twice and completes what a crash may have left undone.
    private async Task RecordMembershipsAsync(TillSellRequest request, TillSale till, IReadOnlyCollection<MenuItem> menu, PaymentResult paid, CancellationToken cancellationToken)
    {
        if (request.Card is not { } card || !till.Lines.Any(l => l.Kind == SaleLineKind.Membership))
        {
            return;
        }

        var row = await cardRows.FindByUidAsync(card, cancellationToken) ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
        var holder = grains.GetMembership(MembershipChecker.HolderOf(row), request.PointOfSale.Venue);
        var channel = paid.PaidByCard > 0 ? MembershipChannel.Wallet : paid.ExternalMeans == PaymentMeans.BankCard ? MembershipChannel.BankCard : MembershipChannel.Cash;
        for (var i = 0; i < till.Lines.Length; i++)
        {
            var line = till.Lines[i];
            if (line.Kind != SaleLineKind.Membership || menu.FirstOrDefault(m => m.Product == line.Product)?.MembershipProduct is not { } product)
            {
                continue;
            }

            for (var unit = 0; unit < line.Quantity; unit++)
            {
                await holder.RecordAtTillAsync(new TillMembershipRequest(request.Key.Derive($"membership-{i}-{unit}"), new MembershipProductId(product), card, channel,
                    line.UnitPrice, paid.OperationId), cancellationToken);
            }
        }
    }

    /// <summary>Baskets that are not sales: through the card's counter doors (with the till's lines), or a cash deposit given back.</summary>
    private async Task<PaymentResult> SettleOtherAsync(TillBasketKind kind, TillSellRequest request, TillSale till, long total, CancellationToken cancellationToken)
    {
        var venue = request.PointOfSale.Venue;
        if (request.Card is not { } uid)
        {
            // Only a deposit given back goes without a card (TillBasket refused the others).
            return await PayExternallyAsync(new SaleRequest(request.Key, venue, request.Cashier, BasketPricer.AsSaleLines(till.Lines), PaymentMeans.None, null, till),
                request.Complement, till, TransactionKind.Refund, cancellationToken);
        }

        var card = grains.GetCard(uid);
        switch (kind)
        {
            case TillBasketKind.DepositBack:
                return FromMovement(await card.RefillAsync(new RefillRequest(request.Key, venue, request.Cashier, -total, PaymentMeans.None, null, till), cancellationToken),
                    total, 0, PaymentMeans.None);
            case TillBasketKind.TopUp:
                var asset = till.Lines[0].OnlyAsset!.Value;
                var profile = await venues.GetAsync(venue, cancellationToken);
                if (profile.FindOwn(asset) is not { Archived: false, Kind: Assets.AssetKind.TLF or Assets.AssetKind.TNF or Assets.AssetKind.TIM })
                {
                    throw new DomainException(ErrorCodes.WrongAsset, "This top-up's asset is not an active TLF, TNF or TIM of the venue.");
                }

                return FromMovement(await card.RefillAsync(new RefillRequest(request.Key, venue, request.Cashier, total, request.Complement, asset, till), cancellationToken),
                    total, total, request.Complement);
            case TillBasketKind.Badge:
                var badge = (await venues.GetAsync(venue, cancellationToken)).FindOwnActive(Assets.AssetKind.BDG)
                    ?? throw new DomainException(ErrorCodes.WrongAsset, "The venue has no active badge asset.");
                if (!await cashiers.IsCashierAtAsync(request.Cashier, venue, cancellationToken))
                {
                    throw new DomainException(ErrorCodes.Forbidden, "This card is not a cashier card of the venue.");
                }

                return FromMovement(await card.BadgeAsync(new BadgeRequest(request.Key, venue, badge.Id, till), cancellationToken), 0, 0, PaymentMeans.None);
            default:
                var presence = request.CardQrId is { Length: > 0 } qr ? CardPresence.Secret(qr) : null;
                var refund = await card.RefundAsync(new RefundRequest(request.Key, venue, request.Cashier, null, presence, till), cancellationToken);
                var taken = refund.Movements.Sum(m => m.Amount);
                return new PaymentResult(refund.Approved, refund.Reason, -taken, 0, 0, -refund.CashReturned, refund.CashReturned > 0 ? PaymentMeans.Cash : PaymentMeans.None,
                    0, refund.Movements, refund.Balances, refund.OperationId, refund.At);
        }
    }

    private static PaymentResult FromMovement(MovementResult moved, long total, long external, PaymentMeans means) =>
        moved.Approved
            ? new PaymentResult(true, DeclineReason.None, total, 0, 0, external, means, 0, moved.Movements, moved.Balances, moved.OperationId, moved.At)
            : new PaymentResult(false, moved.Reason, 0, 0, 0, 0, PaymentMeans.None, 0, [], moved.Balances, null, moved.At);

    private async Task<PaymentResult> PayAsync(TillSellRequest request, TillSale till, CancellationToken cancellationToken)
    {
        var venue = request.PointOfSale.Venue;
        var sale = new SaleRequest(request.Key, venue, request.Cashier, BasketPricer.AsSaleLines(till.Lines), request.Card is null ? PaymentMeans.None : request.Complement,
            request.SecondCard, till);
        if (request.Card is { } card && request.CardPays)
        {
            return sale.NamesSecondCard
                ? await grains.GetCard(card).PayWithSecondCardAsync(sale, cancellationToken)
                : await (await cards.OwnWalletAsync(card, cancellationToken)).PayWithCardAsync(sale, card, cancellationToken);
        }

        return await PayExternallyAsync(sale, request.Complement, till, TransactionKind.Sale, cancellationToken, request.Card);
    }

    // No wallet takes part, so no grain is the single writer here: the ledger's unique key makes a retry replay the first answer.
    // A deposit given back in cash is the same with kind Refund: money out of the drawer, its lines negative.
    private async Task<PaymentResult> PayExternallyAsync(SaleRequest sale, PaymentMeans means, TillSale till, TransactionKind kind, CancellationToken cancellationToken,
        CardUid? holder = null)
    {
        if (!await cashiers.IsCashierAtAsync(sale.Cashier, sale.Venue, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, "This card is not a cashier card of the venue.");
        }

        var total = BasketPricer.Total(till.Lines);
        var hash = ExternalHash(sale, means, holder);
        var opId = Guid.CreateVersion7();
        var result = new PaymentResult(true, DeclineReason.None, total, 0, 0, total, means, 0, [], [], opId, DateTimeOffset.UtcNow);
        var rows = new TillRows(till.Context, SaleLineAllocator.Allocate(till.Lines,
            [new PaymentPart(means == PaymentMeans.BankCard ? SaleLineMeans.BankCard : SaleLineMeans.Cash, null, holder, total)]));
        var entry = new LedgerEntry(opId, sale.Key, hash, kind, [], [], serializer.SerializeToArray(result), sale.Venue, holder, Math.Abs(total), means, rows);
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

    private static byte[] ExternalHash(SaleRequest sale, PaymentMeans means, CardUid? holder)
    {
        using var hasher = new RequestHasher("till-external-sale").Add(sale.Venue).Add(sale.Cashier).Add(means);
        if (holder is { } card)
        {
            // Only named when present, so the hashes of card-less sales stay what they were.
            hasher.Add(card);
        }

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

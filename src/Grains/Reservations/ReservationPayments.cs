using System.Collections.Immutable;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Events;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.OnlinePayments;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Reservations;

/// <summary>
/// How a reservation's money moves: always through the wallets' own operations (money rule 1), under keys derived from
/// the reservation, so a retried confirmation or cancellation charges or refunds once.
/// </summary>
public sealed class ReservationPayments(IGrainFactory grains, CardWallets cards, LedgerHistory ledger)
{
    public static IdempotencyKey PaymentKey(Guid reservation) => new("reservation:" + reservation.ToString("N") + ":pay");

    public static IdempotencyKey RefundKey(Guid reservation) => new("reservation:" + reservation.ToString("N") + ":refund");

    /// <summary>The basket of a reservation: one line per price and amount.</summary>
    public static ImmutableArray<SaleLine> Basket(EventDefinition definition, ImmutableArray<ReservedSeat> seats) =>
    [
        .. seats.Where(s => s.Amount > 0).GroupBy(s => (s.PriceId, s.Amount)).Select(g =>
        {
            var name = definition.Prices.FirstOrDefault(p => p.Id == g.Key.PriceId)?.Name ?? g.Key.PriceId;
            var label = $"{definition.Title} · {name}";
            return new SaleLine(label.Length > 200 ? label[..200] : label, g.Count(), g.Key.Amount);
        }),
    ];

    /// <summary>Pays online from a customer wallet, or at the counter with the customer's card and a cashier card.</summary>
    public async Task<PaymentResult> PayAsync(ConfirmRequest request, Guid reservation, VenueId venue, ImmutableArray<SaleLine> basket, CancellationToken cancellationToken)
    {
        var key = PaymentKey(reservation);
        return request switch
        {
            { Means: ConfirmMeans.Wallet, Wallet: { } wallet } =>
                await grains.GetWallet(wallet).PayOnlineAsync(new OnlineSaleRequest(key, venue, basket), cancellationToken),
            // A one-card sale at the counter enters at the card's own wallet, as every counter sale does.
            { Means: ConfirmMeans.Counter, Cashier: { } cashier, Card: { } card } =>
                await (await cards.OwnWalletAsync(card, cancellationToken)).PayWithCardAsync(new SaleRequest(key, venue, cashier, basket), card, cancellationToken),
            // Paid at Stripe on the venue's own account before this call: nothing moves in the ledger.
            { Means: ConfirmMeans.Stripe, CheckoutSession: not null } => PaidAtStripe(basket),
            _ => throw new DomainException(ErrorCodes.BadUserInput, "Pay from a wallet, or at the counter with a cashier card and the customer's card."),
        };
    }

    /// <summary>Gives a Stripe-paid reservation's money back to the card that paid, through Stripe, under the session's own refund key.</summary>
    public async Task RefundCheckoutAsync(string checkoutSession, CancellationToken cancellationToken) =>
        await grains.GetGrain<ICheckoutGrain>(checkoutSession).RefundAsync(cancellationToken);

    private static PaymentResult PaidAtStripe(ImmutableArray<SaleLine> basket)
    {
        var total = basket.Sum(l => l.Quantity * l.UnitPrice);
        return new PaymentResult(true, DeclineReason.None, total, 0, 0, total, PaymentMeans.Online, 0, [], [], null, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Gives a paid reservation's money back to the wallet that paid it, out of the venue's wallet. VENUE_INSUFFICIENT_FUNDS
    /// when the venue's wallet no longer holds that money (it was paid out since): nothing is written, and the venue must
    /// be funded before the refund can be made. The refund's key is derived from the reservation: a retry refunds once.
    /// </summary>
    public async Task RefundAsync(Guid reservation, VenueId venue, WalletId payer, ImmutableArray<PaidMovement> paid, CancellationToken cancellationToken)
    {
        var key = RefundKey(reservation);
        var movements = paid.Select(m => new AssetMovement(new AssetId(m.Asset), m.Amount, new WalletId(m.From), new WalletId(m.To))).ToImmutableArray();
        // Checked before: the ledger would refuse the overdraft anyway, but only after retrying as for a stale wallet. A refund
        // already made (a retry) is never refused here: its key answers first.
        if (!await ledger.IsKeyUsedAsync(key, cancellationToken) && await VenueLacksAsync(venue, movements, cancellationToken))
        {
            throw VenueShort();
        }

        MovementResult result;
        try
        {
            result = await grains.GetWallet(payer).TakeBackSaleAsync(new SaleReturnRequest(key, venue, movements), cancellationToken);
        }
        catch (DomainException ex) when (ex.Code == ErrorCodes.Unavailable)
        {
            // The venue may have paid the money out between the check and the refund: the database refused the overdraft.
            if (await VenueLacksAsync(venue, movements, cancellationToken))
            {
                throw VenueShort();
            }

            throw;
        }

        if (!result.Approved)
        {
            throw new DomainException(ErrorCodes.Unavailable, "The refund could not be made; retry.");
        }
    }

    /// <summary>
    /// Finds the payments that landed for <paramref name="reservations"/> (holds that ran out: their confirmation never
    /// completed) and gives each back to the wallet that paid it. Returns what was refunded, per reservation, to be recorded
    /// on its row. A payment that never landed is simply absent. Errors as <see cref="RefundAsync"/>.
    /// </summary>
    public async Task<ImmutableArray<(Guid Reservation, WalletId Payer, ImmutableArray<PaidMovement> Paid)>> RefundLatePaymentsAsync(
        IReadOnlyCollection<Guid> reservations, VenueId venue, CancellationToken cancellationToken)
    {
        var byKey = reservations.ToDictionary(r => PaymentKey(r).Value);
        var landed = await ledger.FindMovementsAsync([.. reservations.Select(PaymentKey)], cancellationToken);
        var refunded = ImmutableArray.CreateBuilder<(Guid, WalletId, ImmutableArray<PaidMovement>)>();
        foreach (var (key, movements) in landed)
        {
            var paid = movements.Select(m => new PaidMovement(m.Asset.Value, m.Amount, m.From.Value, m.To.Value)).ToImmutableArray();
            await RefundAsync(byKey[key], venue, movements[0].From, paid, cancellationToken);
            refunded.Add((byKey[key], movements[0].From, paid));
        }

        return refunded.ToImmutable();
    }

    private async Task<bool> VenueLacksAsync(VenueId venue, ImmutableArray<AssetMovement> movements, CancellationToken cancellationToken)
    {
        var balances = (await ledger.GetBalancesAsync(WalletId.OfVenue(venue), cancellationToken)).ToDictionary(b => b.Asset, b => b.Amount);
        return movements.GroupBy(m => m.Asset).Any(g => balances.GetValueOrDefault(g.Key) < g.Sum(m => m.Amount));
    }

    private static DomainException VenueShort() =>
        new(ErrorCodes.VenueInsufficientFunds, "The venue's wallet no longer holds this money: the refund cannot be made until the venue is funded.");
}

using System.Collections.Immutable;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.PointOfSale;

// A customer tap at a counter (mode SALE): pay the pending payment, credit the pending top-up, or show the balances.
public sealed partial class PointOfSaleGrain
{
    private async Task<(TapResult, PointOfSaleDetails)> PayAsync(
        PointOfSaleDetails current, Tap tap, CardUid card, CardUid cashier, PendingRequest payment, CancellationToken cancellationToken)
    {
        var sale = new SaleRequest(RequestKey(_id, payment.Id), _id.Venue, cashier, payment.Lines);
        // The one-card door, at the card's own wallet.
        var paid = await (await cardWallets.OwnWalletAsync(card, cancellationToken)).PayWithCardAsync(sale, card, cancellationToken);
        var balances = await NameBalancesAsync(paid.Balances, cancellationToken);
        if (paid.Approved)
        {
            var approved = Result(tap, TapOutcome.Approved, $"Paid {Cents.Format(paid.Total)}.") with
            {
                Amount = paid.Total, Balances = balances, RequestId = payment.Id, OperationId = paid.OperationId,
            };
            return (approved, current with { Pending = null });
        }

        var declined = Result(tap, TapOutcome.Declined, DeclineMessage(paid)) with
        {
            Amount = payment.Amount, Balances = balances, DeclineReason = paid.Reason, Shortfall = paid.Shortfall, RequestId = payment.Id,
        };
        return (declined, current);
    }

    private static string DeclineMessage(PaymentResult paid) => paid.Reason switch
    {
        DeclineReason.InsufficientFunds => $"Insufficient funds: {Cents.Format(paid.Shortfall)} missing.",
        DeclineReason.CardLost => "This card was declared lost.",
        DeclineReason.CardBlocked => "This card is blocked.",
        _ => "Payment declined.",
    };

    private async Task<(TapResult, PointOfSaleDetails)> TopUpAsync(
        PointOfSaleDetails current, Tap tap, ICardGrain card, CardUid cashier, PendingRequest topUp, CancellationToken cancellationToken)
    {
        var refill = new RefillRequest(RequestKey(_id, topUp.Id), _id.Venue, cashier, topUp.Amount, topUp.Means);
        var credited = await card.RefillAsync(refill, cancellationToken);
        var balances = await NameBalancesAsync(credited.Balances, cancellationToken);
        if (credited.Approved)
        {
            var toppedUp = Result(tap, TapOutcome.ToppedUp, $"Topped up {Cents.Format(topUp.Amount)}.") with
            {
                Amount = topUp.Amount, Balances = balances, RequestId = topUp.Id, OperationId = credited.OperationId,
            };
            return (toppedUp, current with { Pending = null });
        }

        var declined = Result(tap, TapOutcome.Declined, credited.Reason == DeclineReason.CardLost ? "This card was declared lost." : "Top-up declined.") with
        {
            Amount = topUp.Amount, Balances = balances, DeclineReason = credited.Reason, RequestId = topUp.Id,
        };
        return (declined, current);
    }

    private async Task<TapResult> BalanceAsync(Tap tap, ICardGrain card, CancellationToken cancellationToken)
    {
        var details = await card.GetDetailsAsync(cancellationToken);
        if (details.Wallet is not { } wallet)
        {
            return Result(tap, TapOutcome.Refused, "This card was declared lost.") with { CardState = details.State };
        }

        var balances = await card.GetBalancesAsync(_id.Venue, cancellationToken);
        var history = await ledger.GetHistoryAsync(new HistoryFilter(Card: details.Uid, Venue: _id.Venue), LastTransactions, cancellationToken: cancellationToken);
        var profile = await venues.GetAsync(_id.Venue, cancellationToken);
        var transactions = history.Items
            .Select(t => new TapTransaction(t.Id, t.Kind, t.Asset, AssetOf(profile, t.Asset).Name, t.From == wallet ? -t.Amount : t.Amount, t.Venue, t.At))
            .ToImmutableArray();
        var named = await NameBalancesAsync(balances.Balances, cancellationToken);
        var total = named.Where(b => b.Kind is not (AssetKind.SUB or AssetKind.BDG)).Sum(b => b.Amount);
        return Result(tap, TapOutcome.Balance, $"Balance {Cents.Format(total)}.") with
        {
            Balances = named, CardState = details.State, Transactions = transactions,
        };
    }

    /// <summary>The balances the venue accepts, with the names its screens show.</summary>
    private async Task<ImmutableArray<TapBalance>> NameBalancesAsync(ImmutableArray<AssetBalance> balances, CancellationToken cancellationToken)
    {
        if (balances.IsDefaultOrEmpty)
        {
            return [];
        }

        var profile = await venues.GetAsync(_id.Venue, cancellationToken);
        var named = ImmutableArray.CreateBuilder<TapBalance>(balances.Length);
        foreach (var balance in balances)
        {
            if (balance.Amount != 0 && profile.FindAccepted(balance.Asset) is { } asset)
            {
                named.Add(new TapBalance(asset.Id, asset.Name, asset.Kind, balance.Amount));
            }
        }

        return named.DrainToImmutable();
    }

    private static AssetDetails AssetOf(VenuePaymentProfile profile, AssetId asset) =>
        profile.FindAccepted(asset) ?? profile.FindOwn(asset) ?? new AssetDetails(asset, AssetKind.TLF, asset.ToString(), null, false, default);
}

using System.Collections.Immutable;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>Sales: the one-card door, and the wallets' side of the two-card door (the lower id offers, the higher commits).</summary>
public sealed partial class WalletGrain
{
    public async Task<PaymentResult> PayWithCardAsync(SaleRequest request, CardUid card, CancellationToken cancellationToken = default)
    {
        if (request.NamesSecondCard)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A two-card payment starts at the card.");
        }

        // Read from the cards table on every sale, never kept in memory: the table is the one owner of "which wallet does this
        // card pay from". A loss or a block is written there before DeclareLost/Block answer, and this read runs inside this
        // grain's turn, which ends only after the sale's commit; so a sale that starts after the answer reads the loss,
        // whatever any grain holds in memory (a failed notice, a second activation after a failover). A sale that started
        // before has finished before the answer: the card grain's notice (CardChangedAsync) waits for it.
        var link = await cards.FindLinkAsync(card, cancellationToken);
        var isCardWallet = link?.CardWallet == _id;
        if (link is null || (!isCardWallet && link.UserWallet != _id))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A card pays through its own wallet.");
        }

        var hash = SalePlanner.Hash(request, card, null);
        if (link.ActiveWallet is not { } payer)
        {
            // A sale made before the card was lost or blocked still answers its key with its first result.
            return await store.FindOperationAsync(request.Key, cancellationToken) is { } earlier
                ? Replay<PaymentResult>(hash, earlier)
                : PaymentResult.Declined(link.Blocked ? DeclineReason.CardBlocked : DeclineReason.CardLost);
        }

        if (payer != _id)
        {
            // Only the card's own wallet hands a sale on (to the user's wallet, which never calls back): no loop, no wait cycle.
            if (!isCardWallet)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A card pays through its own wallet.");
            }

            if (link.PendingFusionInto is { } target)
            {
                // A link interrupted before its fusion (a crash): finish it here, once, under the key every completion shares.
                await FuseIntoAsync(new FusionRequest(CardRow.PendingFusionKey(card, target), target, card), cancellationToken);
            }

            // An identified card's own wallet is empty (fused); the user's wallet pays, through this same door.
            return await GrainFactory.GetWallet(payer).PayWithCardAsync(request, card, cancellationToken);
        }

        return await RunAsync(request.Key, hash, async () =>
        {
            var total = SalePlanner.Total(request);
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            await RequireCashierAsync(request.Cashier, request.Venue, cancellationToken);
            return SalePlanner.PlanOneCard(View, profile, request, card, total, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    // Nothing to forget (the card is read per sale): the call is the barrier that lets a sale in progress finish before the
    // card grain answers a loss or a block.
    public Task CardChangedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<JointPaymentOutcome> SettleJointPaymentAsync(WalletPayment payment, WalletOffer? offer = null, CancellationToken cancellationToken = default)
    {
        if (payment.Complement is not { } other || other == payment.Primary)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The complementary card must belong to another wallet.");
        }

        var (lower, upper) = payment.Primary.CompareTo(other) < 0 ? (payment.Primary, other) : (other, payment.Primary);
        var key = IdempotencyKey.Parse(payment.Sale.Key.Value);
        var hash = SalePlanner.Hash(payment.Sale, payment.Card, payment.ComplementCard);
        RequireOwnWallet();
        if (offer is null)
        {
            if (lower != _id)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A two-card payment is made on the wallet with the lower id.");
            }

            return new JointPaymentOutcome(JointPaymentStatus.Committed, await OfferJointAsync(payment, key, hash, upper, cancellationToken), []);
        }

        if (upper != _id || offer.Wallet != lower)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A two-card payment is completed by the wallet with the higher id.");
        }

        return await CompleteJointAsync(payment, offer, key, hash, cancellationToken);
    }

    /// <summary>The lower-id wallet's side: offer its balances and next sequence number until the other wallet settles.</summary>
    private async Task<PaymentResult> OfferJointAsync(WalletPayment payment, IdempotencyKey key, byte[] hash, WalletId upper, CancellationToken cancellationToken)
    {
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var offer = new WalletOffer(_id, _seq + 1, WalletPlans.Snapshot(_balances), reloaded);
            var outcome = await GrainFactory.GetWallet(upper).SettleJointPaymentAsync(payment, offer, cancellationToken);
            switch (outcome.Status)
            {
                case JointPaymentStatus.Committed:
                    _seq = offer.NextSequence;
                    foreach (var m in outcome.Result!.Movements.Where(m => m.From == _id))
                    {
                        _balances[m.Asset] = _balances.GetValueOrDefault(m.Asset) - m.Amount;
                    }

                    foreach (var b in outcome.OfferingWalletBalances)
                    {
                        _balances[b.Asset] = b.Amount;
                    }

                    return outcome.Result;
                case JointPaymentStatus.Replayed:
                    await ReloadAsync(null, cancellationToken);
                    return outcome.Result!;
                case JointPaymentStatus.Declined when !reloaded:
                    reloaded = true;
                    if (await ReloadAsync(key, cancellationToken) is { } stored)
                    {
                        return Replay<PaymentResult>(hash, stored);
                    }

                    continue;
                case JointPaymentStatus.Declined:
                    return outcome.Result!;
                default:
                    LogStale(logger, _id.Value, "joint payment");
                    await ReloadAsync(null, cancellationToken);
                    reloaded = true;
                    continue;
            }
        }

        throw new DomainException(ErrorCodes.Unavailable, "The payment could not be settled; retry with the same key.");
    }

    /// <summary>The higher-id wallet's side: plan over both wallets, commit with both sequence numbers, say how it ended.</summary>
    private async Task<JointPaymentOutcome> CompleteJointAsync(WalletPayment payment, WalletOffer offer, IdempotencyKey key, byte[] hash, CancellationToken cancellationToken)
    {
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            WalletPlan<PaymentResult> plan;
            try
            {
                plan = await PlanJointAsync(payment, offer, cancellationToken);
            }
            catch (DomainException) when (!reloaded)
            {
                // As in RunAsync: a rule that fails now must not hide the first result of a retried key.
                if (await store.FindOperationAsync(key, cancellationToken) is { } earlier)
                {
                    return new JointPaymentOutcome(JointPaymentStatus.Replayed, Replay<PaymentResult>(hash, earlier), []);
                }

                throw;
            }

            if (plan.Operation is not { } operation)
            {
                if (!reloaded)
                {
                    reloaded = true;
                    if (await ReloadAsync(key, cancellationToken) is { } stored)
                    {
                        return new JointPaymentOutcome(JointPaymentStatus.Replayed, Replay<PaymentResult>(hash, stored), []);
                    }

                    continue;
                }

                return new JointPaymentOutcome(JointPaymentStatus.Declined, plan.Result, []);
            }

            var entry = ToEntry(key, hash, operation, plan.Result, [new WalletSequence(_id, _seq + 1), new WalletSequence(offer.Wallet, offer.NextSequence)]);
            var commit = await SubmitAsync(entry);
            switch (commit.Status)
            {
                case LedgerCommitStatus.Committed:
                    Apply(entry, commit);
                    var theirs = commit.Balances.Where(b => b.Wallet == offer.Wallet).Select(b => new AssetBalance(b.Asset, b.Balance)).ToImmutableArray();
                    return new JointPaymentOutcome(JointPaymentStatus.Committed, plan.Result, theirs);
                case LedgerCommitStatus.Duplicate:
                    await ReloadAsync(null, cancellationToken);
                    return new JointPaymentOutcome(JointPaymentStatus.Replayed, Replay<PaymentResult>(hash, commit.Existing!), []);
                default:
                    // Either wallet may be the stale one: both reload, and the offering wallet offers again.
                    LogStale(logger, _id.Value, commit.Status.ToString());
                    await ReloadAsync(null, cancellationToken);
                    return new JointPaymentOutcome(JointPaymentStatus.RetryAfterReload, null, []);
            }
        }

        throw new DomainException(ErrorCodes.Unavailable, "The payment could not be settled; retry with the same key.");
    }

    private async Task<WalletPlan<PaymentResult>> PlanJointAsync(WalletPayment payment, WalletOffer offer, CancellationToken cancellationToken)
    {
        var sale = payment.Sale;
        var total = SalePlanner.Total(sale);
        var profile = await venues.GetAsync(sale.Venue, cancellationToken);
        await RequireCashierAsync(sale.Cashier, sale.Venue, cancellationToken);
        var offered = new WalletView(offer.Wallet, offer.Balances.ToDictionary(b => b.Asset, b => b.Amount));
        var (primary, complement) = payment.Primary == _id ? (View, offered) : (offered, View);
        return SalePlanner.PlanTwoCards(primary, complement, profile, sale, payment.Card, total, DateTimeOffset.UtcNow);
    }
}

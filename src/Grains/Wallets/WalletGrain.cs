using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// Holds one user or card wallet's balances in memory and is the only path for its debits. Not reentrant: each call runs
/// to its end (commit included) before the next starts, so "check funds, then debit" cannot interleave (docs/architecture.md, money rule 1).
/// Its memory may only be stale on the low side (credits arrive from elsewhere as deltas), so it reloads once before
/// declining. If a second activation exists somewhere, the database refuses the stale one's sequence number or overdraft;
/// it then reloads and plans again.
/// </summary>
public sealed partial class WalletGrain(
    LedgerWriter writer,
    WalletStore store,
    CardStore cards,
    VenueProfileCache venues,
    CashierRightsCache cashiers,
    Serializer serializer,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain
{
    private const int MaxAttempts = 4;
    private const int MaxBasketLines = 200;
    private const int MaxLabelLength = 200;
    private const int MaxQuantity = 100_000;
    private const int MaxReasonLength = 500;

    private WalletId _id;
    private WalletKind? _kind;
    private Dictionary<AssetId, long> _balances = [];
    private long _seq;
    private bool _loadedByActivation;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = new WalletId(this.GetPrimaryKey());
        await ReloadAsync(null, cancellationToken);
        _loadedByActivation = true;
    }

    public async Task<WalletDetails> GetDetailsAsync(VenueId? seenBy = null, CancellationToken cancellationToken = default)
    {
        // A read right after activation uses what activation just loaded; any later read reloads (credits may have arrived).
        if (!_loadedByActivation)
        {
            await ReloadAsync(null, cancellationToken);
        }

        _loadedByActivation = false;
        var kind = _kind ?? throw new DomainException(ErrorCodes.NotFound, "No such wallet.");
        var balances = _balances.Where(b => b.Value != 0);
        if (seenBy is { } venue)
        {
            var profile = await venues.GetAsync(venue, cancellationToken);
            balances = balances.Where(b => profile.FindAccepted(b.Key) is not null);
        }

        return new WalletDetails(_id, kind, [.. balances.OrderBy(b => b.Key.Value).Select(b => new AssetBalance(b.Key, b.Value))]);
    }

    // ---------------------------------------------------------------- sales

    public async Task<PaymentResult> PayAsync(WalletPayment payment, CancellationToken cancellationToken = default)
    {
        var hash = HashPayment(payment);
        if (payment.Complement is not { } other)
        {
            if (payment.Primary != _id)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A payment is made on the paying card's wallet.");
            }

            return await RunAsync(payment.Sale.Key, hash, () => PlanSaleAsync(payment, hash, cancellationToken), cancellationToken);
        }

        if (other == payment.Primary)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The complementary card must belong to another wallet.");
        }

        var (lower, upper) = payment.Primary.CompareTo(other) < 0 ? (payment.Primary, other) : (other, payment.Primary);
        if (lower != _id)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A two-card payment is made on the wallet with the lower id.");
        }

        return await PayJointAsync(payment, hash, upper, cancellationToken);
    }

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
        var link = await cards.FindLinkAsync(_id, cancellationToken);
        if (link is null || link.Uid != card)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A card pays through its own wallet.");
        }

        if (link.ActiveWallet is not { } wallet)
        {
            // A sale made before the card was lost or blocked still answers its key with its first result.
            return await store.FindOperationAsync(request.Key, cancellationToken) is { } earlier
                ? Replay<PaymentResult>(HashPayment(new WalletPayment(request, card, _id, null, null)), earlier)
                : PaymentResult.Declined(link.Blocked ? DeclineReason.CardBlocked : DeclineReason.CardLost);
        }

        if (link.PendingFusionInto is { } target)
        {
            // A link interrupted before its fusion (a crash): finish it here, once, under the key every completion shares.
            await FuseIntoAsync(new FusionRequest(CardRow.PendingFusionKey(card, target), target, card), cancellationToken);
        }

        var payment = new WalletPayment(request, card, wallet, null, null);
        // An identified card's own wallet is empty (fused); the user's wallet pays. That grain never calls back here.
        return wallet == _id ? await PayAsync(payment, cancellationToken) : await GrainFactory.GetWallet(wallet).PayAsync(payment, cancellationToken);
    }

    // Nothing to forget (the card is read per sale): the call is the barrier that lets a sale in progress finish before the
    // card grain answers a loss or a block.
    public Task CardChangedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private async Task<Plan<PaymentResult>> PlanSaleAsync(WalletPayment payment, byte[] hash, CancellationToken cancellationToken)
    {
        var sale = payment.Sale;
        var total = BasketTotal(sale);
        var profile = await venues.GetAsync(sale.Venue, cancellationToken);
        await RequireCashierAsync(sale.Cashier, sale.Venue, cancellationToken);
        var at = DateTimeOffset.UtcNow;
        var allocation = SpendingCascade.Allocate(profile.SpendingOrder, _balances, total);
        long external = 0;
        if (allocation.Remainder > 0)
        {
            if (sale.Complement is PaymentMeans.Cash or PaymentMeans.BankCard && !allocation.Parts.IsEmpty)
            {
                external = allocation.Remainder;
            }
            else
            {
                return Plan<PaymentResult>.Decline(new PaymentResult(false, DeclineReason.InsufficientFunds, total, 0, 0, 0, PaymentMeans.None,
                    allocation.Remainder, [], Snapshot(_balances), null, at));
            }
        }

        var lines = allocation.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, _id, profile.Wallet)).ToImmutableArray();
        var opId = Guid.CreateVersion7();
        var means = external > 0 ? sale.Complement : PaymentMeans.None;
        var result = new PaymentResult(true, DeclineReason.None, total, allocation.Covered, 0, external, means, 0,
            Movements(lines), BalancesAfter(_balances, _id, lines), opId, at);
        return Plan<PaymentResult>.Submit(Entry(sale.Key, hash, TransactionKind.Sale, opId, lines, result, sale.Venue, payment.Card, external, means), result);
    }

    private async Task<PaymentResult> PayJointAsync(WalletPayment payment, byte[] hash, WalletId upper, CancellationToken cancellationToken)
    {
        var key = IdempotencyKey.Parse(payment.Sale.Key.Value);
        RequireOwnWallet();
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var offer = new WalletOffer(_id, _seq + 1, Snapshot(_balances), reloaded);
            var outcome = await GrainFactory.GetWallet(upper).CompleteJointPaymentAsync(payment, offer, cancellationToken);
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

    public async Task<JointPaymentOutcome> CompleteJointPaymentAsync(WalletPayment payment, WalletOffer offer, CancellationToken cancellationToken = default)
    {
        if (payment.Complement is not { } other || other == payment.Primary)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Not a two-card payment.");
        }

        var (lower, upper) = payment.Primary.CompareTo(other) < 0 ? (payment.Primary, other) : (other, payment.Primary);
        if (upper != _id || offer.Wallet != lower)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A two-card payment is completed by the wallet with the higher id.");
        }

        var key = IdempotencyKey.Parse(payment.Sale.Key.Value);
        var hash = HashPayment(payment);
        RequireOwnWallet();
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            Plan<PaymentResult> plan;
            try
            {
                plan = await PlanJointSaleAsync(payment, offer, hash, cancellationToken);
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

            if (plan.Entry is null)
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

            var commit = await SubmitAsync(plan.Entry);
            switch (commit.Status)
            {
                case LedgerCommitStatus.Committed:
                    Apply(plan.Entry, commit);
                    var theirs = commit.Balances.Where(b => b.Wallet == lower).Select(b => new AssetBalance(b.Asset, b.Balance)).ToImmutableArray();
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

    private async Task<Plan<PaymentResult>> PlanJointSaleAsync(WalletPayment payment, WalletOffer offer, byte[] hash, CancellationToken cancellationToken)
    {
        var sale = payment.Sale;
        var total = BasketTotal(sale);
        var profile = await venues.GetAsync(sale.Venue, cancellationToken);
        await RequireCashierAsync(sale.Cashier, sale.Venue, cancellationToken);
        var at = DateTimeOffset.UtcNow;
        var offered = offer.Balances.ToDictionary(b => b.Asset, b => b.Amount);
        var iAmPrimary = payment.Primary == _id;
        var primaryBalances = iAmPrimary ? _balances : offered;
        var complementBalances = iAmPrimary ? offered : _balances;
        var first = SpendingCascade.Allocate(profile.SpendingOrder, primaryBalances, total);
        var second = SpendingCascade.Allocate(profile.SpendingOrder, complementBalances, first.Remainder);
        if (second.Remainder > 0)
        {
            return Plan<PaymentResult>.Decline(new PaymentResult(false, DeclineReason.InsufficientFunds, total, 0, 0, 0, PaymentMeans.None,
                second.Remainder, [], Snapshot(primaryBalances), null, at));
        }

        var lines = first.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, payment.Primary, profile.Wallet))
            .Concat(second.Parts.Select(p => new LedgerLine(p.Asset, p.Amount, payment.Complement!.Value, profile.Wallet)))
            .ToImmutableArray();
        var opId = Guid.CreateVersion7();
        var means = second.Covered > 0 ? PaymentMeans.SecondCard : PaymentMeans.None;
        var result = new PaymentResult(true, DeclineReason.None, total, first.Covered, second.Covered, 0, means, 0,
            Movements(lines), BalancesAfter(primaryBalances, payment.Primary, lines), opId, at);
        var entry = new LedgerEntry(opId, sale.Key, hash, TransactionKind.Sale, lines,
            [new WalletSequence(_id, _seq + 1), new WalletSequence(offer.Wallet, offer.NextSequence)],
            serializer.SerializeToArray(result), sale.Venue, payment.Card, 0, means);
        return Plan<PaymentResult>.Submit(entry, result);
    }

    // ---------------------------------------------------------------- counter operations

    public Task<MovementResult> RefillAsync(RefillRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(request.Amount);
        if (request.Means is not (PaymentMeans.Cash or PaymentMeans.BankCard))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A counter top-up is paid in cash or by bank card.");
        }

        var hash = new RequestHasher("refill").Add(_id).Add(request.Venue).Add(request.Cashier).Add(request.Amount).Add(request.Means).Add(request.Asset).Add(card).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            await RequireCashierAsync(request.Cashier, request.Venue, cancellationToken);
            AssetDetails asset;
            if (request.Asset is { } id)
            {
                asset = profile.FindOwn(id) ?? await GrainFactory.GetAsset(id).FindAsync(cancellationToken) switch
                {
                    null => throw new DomainException(ErrorCodes.NotFound, "No such asset."),
                    { Kind: AssetKind.FED } => throw new DomainException(ErrorCodes.Forbidden, "FED is bought online, never refilled at a counter."),
                    _ => throw new DomainException(ErrorCodes.Forbidden, "Only the issuing venue refills its local assets."),
                };
            }
            else
            {
                asset = profile.FindOwnActive(AssetKind.TLF) ?? throw new DomainException(ErrorCodes.NotFound, "The venue has no active TLF to refill.");
            }

            if (asset.Kind is not (AssetKind.TLF or AssetKind.TNF))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Only TLF and TNF are refilled at a counter.");
            }

            if (asset.Archived)
            {
                throw new DomainException(ErrorCodes.Conflict, "This asset is archived.");
            }

            Cents.Add(_balances.GetValueOrDefault(asset.Id), request.Amount);
            return Credit(request.Key, hash, TransactionKind.Refill, asset, request.Amount, request.Venue, card, request.Amount, request.Means);
        }, cancellationToken);
    }

    public Task<RefundResult> RefundAsync(RefundRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        if (request.Amount is { } requested)
        {
            Cents.RequirePositive(requested);
        }

        var kind = request.Amount is null ? TransactionKind.Void : TransactionKind.Refund;
        var hash = new RequestHasher(kind == TransactionKind.Void ? "void" : "refund").Add(_id).Add(request.Venue).Add(request.Cashier).Add(request.Amount).Add(card).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            await RequireCashierAsync(request.Cashier, request.Venue, cancellationToken);
            var at = DateTimeOffset.UtcNow;
            var lines = ImmutableArray.CreateBuilder<LedgerLine>();
            long cash = 0, burned = 0, owed = 0;
            var ownEuro = profile.Own.Where(a => a.Kind == AssetKind.TLF).Select(a => a.Id);
            if (request.Amount is { } amount)
            {
                // Cash-refundable money only: the venue's euro first, then FED. Gift money is never paid out.
                var allocation = SpendingCascade.Allocate([.. ownEuro, AssetId.Federated], _balances, amount);
                if (allocation.Remainder > 0)
                {
                    return Plan<RefundResult>.Decline(new RefundResult(false, DeclineReason.InsufficientFunds, 0, 0, 0, [], Snapshot(_balances), null, at));
                }

                foreach (var part in allocation.Parts)
                {
                    AddRefundLine(part.Asset, part.Amount, cashRefund: true);
                }
            }
            else
            {
                foreach (var asset in profile.Own.Where(a => a.Kind is AssetKind.TLF or AssetKind.TNF))
                {
                    AddRefundLine(asset.Id, _balances.GetValueOrDefault(asset.Id), cashRefund: asset.Kind == AssetKind.TLF);
                }

                AddRefundLine(AssetId.Federated, _balances.GetValueOrDefault(AssetId.Federated), cashRefund: true);
            }

            if (lines.Count == 0)
            {
                return Plan<RefundResult>.Decline(new RefundResult(false, DeclineReason.NothingToRefund, 0, 0, 0, [], Snapshot(_balances), null, at));
            }

            var built = lines.ToImmutable();
            var opId = Guid.CreateVersion7();
            var result = new RefundResult(true, DeclineReason.None, cash, burned, owed, Movements(built), BalancesAfter(_balances, _id, built), opId, at);
            return Plan<RefundResult>.Submit(Entry(request.Key, hash, kind, opId, built, result, request.Venue, card, cash, cash > 0 ? PaymentMeans.Cash : PaymentMeans.None), result);

            void AddRefundLine(AssetId asset, long value, bool cashRefund)
            {
                if (value <= 0)
                {
                    return;
                }

                if (asset == AssetId.Federated)
                {
                    // FED stays money: the venue pays it out in cash, and the network owes the venue as much.
                    lines.Add(new LedgerLine(asset, value, _id, profile.Wallet));
                    owed += value;
                }
                else
                {
                    lines.Add(new LedgerLine(asset, value, _id, WalletId.MintOf(asset)));
                    burned += value;
                }

                if (cashRefund)
                {
                    cash += value;
                }
            }
        }, cancellationToken);
    }

    public Task<MovementResult> BadgeAsync(BadgeRequest request, CardUid? card = null, CancellationToken cancellationToken = default)
    {
        var hash = new RequestHasher("badge").Add(_id).Add(request.Venue).Add(request.Badge).Add(card).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            if (profile.FindOwn(request.Badge) is not { Kind: AssetKind.BDG, Archived: false })
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Not an active badge asset of this venue.");
            }

            ImmutableArray<LedgerLine> lines = [new LedgerLine(request.Badge, 0, _id, profile.Wallet)];
            return Movement(request.Key, hash, TransactionKind.Badge, lines, request.Venue, card);
        }, cancellationToken);
    }

    // ---------------------------------------------------------------- wallet operations

    public Task<MovementResult> TransferAsync(TransferRequest request, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(request.Amount);
        if (request.To == _id)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A wallet cannot transfer to itself.");
        }

        var hash = new RequestHasher("transfer").Add(_id).Add(request.To).Add(request.Asset).Add(request.Amount).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            switch (await store.FindKindAsync(request.To, cancellationToken))
            {
                case null:
                    throw new DomainException(ErrorCodes.NotFound, "No such target wallet.");
                case WalletKind.Mint:
                    throw new DomainException(ErrorCodes.BadUserInput, "Money is not transferred to a mint.");
            }

            _ = await GrainFactory.GetAsset(request.Asset).FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");
            if (_balances.GetValueOrDefault(request.Asset) < request.Amount)
            {
                return DeclineMovement(TransactionKind.Transfer);
            }

            ImmutableArray<LedgerLine> lines = [new LedgerLine(request.Asset, request.Amount, _id, request.To)];
            return Movement(request.Key, hash, TransactionKind.Transfer, lines, null, null);
        }, cancellationToken);
    }

    public async Task<MovementResult> FuseIntoAsync(FusionRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Target == _id)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A wallet cannot fuse into itself.");
        }

        var hash = new RequestHasher("fusion").Add(_id).Add(request.Target).Add(request.Card).Finish();
        if (await store.FindKindAsync(request.Target, cancellationToken) != WalletKind.User)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A card's wallet fuses into a user wallet.");
        }

        // Everything must move, including credits that reached this wallet from elsewhere: start from the committed truth.
        // A key already used replays its first result (after the first fusion there is nothing left to move).
        if (await ReloadAsync(request.Key, cancellationToken) is { } earlier)
        {
            return Replay<MovementResult>(hash, earlier);
        }

        return await RunAsync(request.Key, hash, () =>
        {
            var lines = _balances.Where(b => b.Value > 0).OrderBy(b => b.Key.Value)
                .Select(b => new LedgerLine(b.Key, b.Value, _id, request.Target)).ToImmutableArray();
            return Task.FromResult(lines.IsEmpty
                ? Plan<MovementResult>.Nothing(new MovementResult(true, DeclineReason.None, TransactionKind.Fusion, [], [], null, DateTimeOffset.UtcNow))
                : Movement(request.Key, hash, TransactionKind.Fusion, lines, null, request.Card));
        }, cancellationToken);
    }

    public Task<MovementResult> GrantTimeAsync(TimeGrantRequest request, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(request.Amount);
        var hash = new RequestHasher("time-grant").Add(_id).Add(request.Venue).Add(request.Asset).Add(request.Amount).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var asset = await GrainFactory.GetAsset(request.Asset).FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");
            if (asset.Kind != AssetKind.TIM)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "Only time currency (TIM) is granted.");
            }

            if (asset.IssuingVenue != request.Venue)
            {
                throw new DomainException(ErrorCodes.Forbidden, "Only the issuing venue grants its time currency.");
            }

            if (asset.Archived)
            {
                throw new DomainException(ErrorCodes.Conflict, "This asset is archived.");
            }

            Cents.Add(_balances.GetValueOrDefault(asset.Id), request.Amount);
            return Credit(request.Key, hash, TransactionKind.TimeGrant, asset, request.Amount, request.Venue, null, 0, PaymentMeans.None);
        }, cancellationToken);
    }

    public Task<MovementResult> IssueAsync(IssueRequest request, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(request.Amount);
        var hash = new RequestHasher("issue").Add(_id).Add(request.Asset).Add(request.Amount).Add(request.Means).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var asset = await GrainFactory.GetAsset(request.Asset).FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");
            if (asset.Archived)
            {
                throw new DomainException(ErrorCodes.Conflict, "This asset is archived.");
            }

            Cents.Add(_balances.GetValueOrDefault(asset.Id), request.Amount);
            var external = request.Means == PaymentMeans.None ? 0 : request.Amount;
            return Credit(request.Key, hash, TransactionKind.Creation, asset, request.Amount, null, null, external, request.Means);
        }, cancellationToken);
    }

    public Task<MovementResult> CorrectAsync(CorrectionRequest request, CancellationToken cancellationToken = default)
    {
        Cents.RequirePositive(request.Amount);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReasonLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A correction needs a reason of 1 to {MaxReasonLength} characters.");
        }

        var hash = new RequestHasher("correction").Add(_id).Add(request.Asset).Add(request.Amount).Add(request.Credit.ToString()).Add(reason).Finish();
        return RunAsync(request.Key, hash, async () =>
        {
            var asset = await GrainFactory.GetAsset(request.Asset).FindAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");
            if (request.Credit)
            {
                Cents.Add(_balances.GetValueOrDefault(asset.Id), request.Amount);
                return Credit(request.Key, hash, TransactionKind.Correction, asset, request.Amount, null, null, 0, PaymentMeans.None);
            }

            if (_balances.GetValueOrDefault(asset.Id) < request.Amount)
            {
                return DeclineMovement(TransactionKind.Correction);
            }

            ImmutableArray<LedgerLine> lines = [new LedgerLine(asset.Id, request.Amount, _id, asset.MintWallet)];
            return Movement(request.Key, hash, TransactionKind.Correction, lines, null, null);
        }, cancellationToken);
    }

    // ---------------------------------------------------------------- the one way money moves

    /// <summary>
    /// Replays a known key, else plans, submits, and applies the commit. A decline reloads once (funds may have arrived,
    /// or the key may have been used by an earlier activation) before it is answered. A refusal by the database (stale
    /// sequence number, overdraft) reloads and plans again.
    /// </summary>
    private async Task<T> RunAsync<T>(IdempotencyKey key, byte[] hash, Func<Task<Plan<T>>> planner, CancellationToken cancellationToken)
        where T : class
    {
        IdempotencyKey.Parse(key.Value);
        RequireOwnWallet();
        _loadedByActivation = false;
        var reloaded = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            Plan<T> plan;
            try
            {
                plan = await planner();
            }
            catch (DomainException) when (!reloaded)
            {
                // A rule that fails now (asset archived, rights revoked since) must not hide the first result of a retried key.
                if (await store.FindOperationAsync(key, cancellationToken) is { } earlier)
                {
                    return Replay<T>(hash, earlier);
                }

                throw;
            }

            if (plan.Entry is null)
            {
                if (plan.Declined && !reloaded)
                {
                    reloaded = true;
                    if (await ReloadAsync(key, cancellationToken) is { } stored)
                    {
                        return Replay<T>(hash, stored);
                    }

                    continue;
                }

                return plan.Result;
            }

            var commit = await SubmitAsync(plan.Entry);
            switch (commit.Status)
            {
                case LedgerCommitStatus.Committed:
                    Apply(plan.Entry, commit);
                    LogCommitted(logger, _id.Value, plan.Entry.Kind, plan.Entry.OperationId);
                    return plan.Result;
                case LedgerCommitStatus.Duplicate:
                    // Our memory may predate that first operation (another activation ran it): reload before answering.
                    await ReloadAsync(null, cancellationToken);
                    return Replay<T>(hash, commit.Existing!);
                default:
                    LogStale(logger, _id.Value, commit.Status.ToString());
                    await ReloadAsync(null, cancellationToken);
                    reloaded = true;
                    continue;
            }
        }

        throw new DomainException(ErrorCodes.Unavailable, "The operation could not be settled; retry with the same key.");
    }

    private async Task<LedgerCommit> SubmitAsync(LedgerEntry entry)
    {
        // From hand-over to the writer until its COMMIT is acknowledged: the sale's trace reaches the database's answer.
        using var activity = TiBilletTelemetry.ActivitySource.StartActivity("tibillet.ledger.commit");
        activity?.SetTag("tibillet.wallet", _id.Value);
        try
        {
            var commit = await writer.SubmitAsync(entry);
            activity?.SetTag("tibillet.ledger.status", commit.Status.ToString());
            return commit;
        }
        catch (LedgerUnavailableException)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "ledger unavailable");
            // The outcome may be unknown: forget this memory so the next call starts from the database.
            DeactivateOnIdle();
            throw new DomainException(ErrorCodes.Unavailable, "The ledger is unavailable; retry with the same key.");
        }
    }

    private void Apply(LedgerEntry entry, LedgerCommit commit)
    {
        foreach (var s in entry.Sequences)
        {
            if (s.Wallet == _id)
            {
                _seq = s.Seq;
            }
        }

        foreach (var line in entry.Lines)
        {
            if (line.From == _id)
            {
                _balances[line.Asset] = _balances.GetValueOrDefault(line.Asset) - line.Amount;
            }

            if (line.To == _id)
            {
                _balances[line.Asset] = _balances.GetValueOrDefault(line.Asset) + line.Amount;
            }
        }

        // The committed rows are the truth for every asset the batch touched (including credits that arrived elsewhere).
        foreach (var b in commit.Balances)
        {
            if (b.Wallet == _id)
            {
                _balances[b.Asset] = b.Balance;
            }
        }
    }

    private async Task<StoredOperation?> ReloadAsync(IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(_id, key, cancellationToken);
        _kind = snapshot.Kind;
        _balances = snapshot.Balances;
        _seq = snapshot.Sequence;
        return snapshot.Operation;
    }

    private T Replay<T>(byte[] hash, StoredOperation stored)
        where T : class
    {
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
        }

        return serializer.Deserialize<T>(stored.Result) ?? throw new InvalidOperationException("A stored result could not be read.");
    }

    private void RequireOwnWallet()
    {
        switch (_kind)
        {
            case null:
                throw new DomainException(ErrorCodes.NotFound, "No such wallet.");
            case WalletKind.Venue or WalletKind.Mint:
                throw new DomainException(ErrorCodes.BadUserInput, "Venue and mint wallets move money only through ledger operations of other wallets.");
        }
    }

    private async Task RequireCashierAsync(CardUid cashier, VenueId venue, CancellationToken cancellationToken)
    {
        if (!await cashiers.IsCashierAtAsync(cashier, venue, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, "A cashier card of this venue is required.");
        }
    }

    private LedgerEntry Entry<T>(IdempotencyKey key, byte[] hash, TransactionKind kind, Guid opId, ImmutableArray<LedgerLine> lines, T result,
        VenueId? venue, CardUid? card, long external = 0, PaymentMeans means = PaymentMeans.None) =>
        new(opId, key, hash, kind, lines, [new WalletSequence(_id, _seq + 1)], serializer.SerializeToArray(result), venue, card, external, means);

    private Plan<MovementResult> Credit(IdempotencyKey key, byte[] hash, TransactionKind kind, AssetDetails asset, long amount, VenueId? venue, CardUid? card, long external, PaymentMeans means)
    {
        ImmutableArray<LedgerLine> lines = [new LedgerLine(asset.Id, amount, asset.MintWallet, _id)];
        return Movement(key, hash, kind, lines, venue, card, external, means);
    }

    private Plan<MovementResult> Movement(IdempotencyKey key, byte[] hash, TransactionKind kind, ImmutableArray<LedgerLine> lines, VenueId? venue, CardUid? card,
        long external = 0, PaymentMeans means = PaymentMeans.None)
    {
        var opId = Guid.CreateVersion7();
        var result = new MovementResult(true, DeclineReason.None, kind, Movements(lines), BalancesAfter(_balances, _id, lines), opId, DateTimeOffset.UtcNow);
        return Plan<MovementResult>.Submit(Entry(key, hash, kind, opId, lines, result, venue, card, external, means), result);
    }

    private Plan<MovementResult> DeclineMovement(TransactionKind kind) =>
        Plan<MovementResult>.Decline(new MovementResult(false, DeclineReason.InsufficientFunds, kind, [], Snapshot(_balances), null, DateTimeOffset.UtcNow));

    private static long BasketTotal(SaleRequest sale)
    {
        if (sale.Lines.IsDefaultOrEmpty || sale.Lines.Length > MaxBasketLines)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A basket has 1 to {MaxBasketLines} lines.");
        }

        if (!Enum.IsDefined(sale.Complement) || sale.Complement == PaymentMeans.Online || (sale.Complement == PaymentMeans.SecondCard) != (sale.ComplementCard is not null))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A complement is cash, bank card, or a second card (named).");
        }

        long total = 0;
        foreach (var line in sale.Lines)
        {
            if (line.Quantity is < 1 or > MaxQuantity || line.UnitPrice < 0 || (line.Label?.Length ?? 0) > MaxLabelLength)
            {
                throw new DomainException(ErrorCodes.BadUserInput, "A basket line has a quantity of 1 to 100000, a price of 0 or more cents and a label of at most 200 characters.");
            }

            total = Cents.Add(total, Cents.Multiply(line.Quantity, line.UnitPrice));
        }

        return Cents.RequirePositive(total, "basket total");
    }

    private static byte[] HashPayment(WalletPayment payment)
    {
        var sale = payment.Sale;
        // The request as the client sent it: its cards, not the wallets they pay from today. A card linked or lost since
        // pays from another wallet (or none), and the same key and body must still get the first answer.
        using var hasher = new RequestHasher("sale").Add(payment.Card).Add(payment.ComplementCard)
            .Add(sale.Venue).Add(sale.Cashier).Add(sale.Complement).Add(sale.ComplementCard).Add((long)(sale.Lines.IsDefault ? 0 : sale.Lines.Length));
        foreach (var line in sale.Lines.IsDefault ? [] : sale.Lines)
        {
            hasher.Add(line.Label).Add(line.Quantity).Add(line.UnitPrice);
        }

        return hasher.Finish();
    }

    private static ImmutableArray<AssetMovement> Movements(ImmutableArray<LedgerLine> lines) =>
        [.. lines.Select(l => new AssetMovement(l.Asset, l.Amount, l.From, l.To))];

    private static ImmutableArray<AssetBalance> Snapshot(IReadOnlyDictionary<AssetId, long> balances) =>
        [.. balances.Where(b => b.Value != 0).OrderBy(b => b.Key.Value).Select(b => new AssetBalance(b.Key, b.Value))];

    private static ImmutableArray<AssetBalance> BalancesAfter(IReadOnlyDictionary<AssetId, long> balances, WalletId wallet, ImmutableArray<LedgerLine> lines)
    {
        var after = new Dictionary<AssetId, long>(balances);
        foreach (var l in lines)
        {
            if (l.From == wallet)
            {
                after[l.Asset] = after.GetValueOrDefault(l.Asset) - l.Amount;
            }

            if (l.To == wallet)
            {
                after[l.Asset] = after.GetValueOrDefault(l.Asset) + l.Amount;
            }
        }

        return Snapshot(after);
    }

    private sealed record Plan<T>(LedgerEntry? Entry, T Result, bool Declined)
    {
        public static Plan<T> Submit(LedgerEntry entry, T result) => new(entry, result, false);

        public static Plan<T> Decline(T result) => new(null, result, true);

        public static Plan<T> Nothing(T result) => new(null, result, false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wallet {WalletId} committed {Kind} operation {OperationId}")]
    private static partial void LogCommitted(ILogger logger, Guid walletId, TransactionKind kind, Guid operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId} was stale ({Cause}); reloaded from the ledger")]
    private static partial void LogStale(ILogger logger, Guid walletId, string cause);
}

using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Memberships;

/// <summary>
/// See <see cref="IMembershipGrain"/>. Keeps nothing in memory: each purchase reads the current end from the purchase rows,
/// so a second activation (possible while silos join or leave) computes from the same facts, and the key's unique index
/// stores each purchase once.
/// </summary>
public sealed class MembershipGrain(MembershipStore store, CardWallets wallets, CashierRightsCache cashiers, TimeProvider clock) : Grain, IMembershipGrain
{
    private WalletId Holder => new(this.GetPrimaryKey(out _));

    private VenueId Venue
    {
        get
        {
            this.GetPrimaryKey(out var venue);
            return new VenueId(venue!);
        }
    }

    public async Task<MembershipPurchaseResult> BuyAtCounterAsync(CounterMembershipRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Channel == MembershipChannel.Online || !Enum.IsDefined(request.Channel))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A counter purchase is paid from the card's wallet, in cash or by bank card.");
        }

        if (await store.FindPurchaseByKeyAsync(request.Key, cancellationToken) is { } earlier)
        {
            return earlier.Product == request.Product && earlier.Card == request.Card && earlier.Channel == request.Channel && earlier.Venue == Venue
                ? new MembershipPurchaseResult(true, DeclineReason.None, 0, earlier)
                : throw new DomainException(ErrorCodes.Conflict, "This idempotency key was used for another purchase.");
        }

        var product = await RequireProductAsync(request.Product, cancellationToken);
        if (!await cashiers.IsCashierAtAsync(request.Cashier, Venue, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, "This is not a cashier card of the venue.");
        }

        Guid? operation = null;
        if (request.Channel == MembershipChannel.Wallet && product.Price > 0)
        {
            // The sale's own key is derived from the purchase's: a retry after a crash replays the payment, never charges twice.
            var sale = new SaleRequest(request.Key.Derive("pay"), Venue, request.Cashier, [new SaleLine(Label(product), 1, product.Price)]);
            var paid = await (await wallets.OwnWalletAsync(request.Card, cancellationToken)).PayWithCardAsync(sale, request.Card, cancellationToken);
            if (!paid.Approved)
            {
                return new MembershipPurchaseResult(false, paid.Reason, paid.Shortfall, null);
            }

            operation = paid.OperationId;
        }

        var purchase = await RecordAsync(request.Key, product, request.Card, request.Channel, product.Price, operation, null, cancellationToken);
        return new MembershipPurchaseResult(true, DeclineReason.None, 0, purchase);
    }

    public async Task<MembershipPurchase> RecordAtTillAsync(TillMembershipRequest request, CancellationToken cancellationToken = default)
    {
        if (await store.FindPurchaseByKeyAsync(request.Key, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        // The till's sale was paid: the purchase is recorded even if the product was archived since.
        var product = await store.FindProductAsync(request.Product, cancellationToken) is { } p && p.Venue == Venue
            ? p
            : throw new DomainException(ErrorCodes.NotFound, "No such membership product at this venue.");
        return await RecordAsync(request.Key, product, request.Card, request.Channel, request.Amount, request.Operation, null, cancellationToken);
    }

    public async Task<MembershipPurchase> RecordOnlineAsync(OnlineMembershipRequest request, CancellationToken cancellationToken = default)
    {
        if (await store.FindPurchaseByKeyAsync(request.Key, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        // The session was paid: the purchase is recorded even if the product was archived since.
        var product = await store.FindProductAsync(request.Product, cancellationToken) is { } p && p.Venue == Venue
            ? p
            : throw new DomainException(ErrorCodes.NotFound, "No such membership product at this venue.");
        return await RecordAsync(request.Key, product, null, MembershipChannel.Online, request.Amount, null, request.CheckoutSession, cancellationToken);
    }

    private async Task<MembershipProduct> RequireProductAsync(MembershipProductId id, CancellationToken cancellationToken)
    {
        var product = await store.FindProductAsync(id, cancellationToken);
        if (product is null || product.Venue != Venue)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such membership product at this venue.");
        }

        return product.Archived ? throw new DomainException(ErrorCodes.Conflict, "This membership product is archived.") : product;
    }

    private async Task<MembershipPurchase> RecordAsync(IdempotencyKey key, MembershipProduct product, CardUid? card, MembershipChannel channel, long amount,
        Guid? operation, string? session, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (end, lifetime) = await store.CurrentEndAsync(product.Id, Holder, cancellationToken);
        var period = MembershipValidity.Extend(product.Duration, end, lifetime, now, MembershipValidity.Zone(product.TimeZone));
        var purchase = new MembershipPurchase(Guid.CreateVersion7(), product.Id, Venue, Holder, card, channel, amount, operation, session, period, now,
            product.RequiresValidation ? null : now);
        return await store.InsertPurchaseAsync(key, purchase, cancellationToken);
    }

    private static string Label(MembershipProduct product) => product.Name.Length <= 180 ? "Membership: " + product.Name : "Membership";
}

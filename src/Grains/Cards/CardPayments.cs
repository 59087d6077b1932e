using System.Collections.Concurrent;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// The way a card pays, for the API and the tills. A one-card sale goes straight to the card's own wallet grain, which
/// knows whether its card still pays (not lost) and from which wallet (its own, or the user's once identified): one grain
/// call per sale instead of two, the card grain being a stop on the way that only looked up the wallet. A two-card sale
/// starts at the card grain, which checks the second card. Same results and errors as <see cref="ICardGrain.PayAsync"/>.
/// Thread-safe; one per silo.
/// </summary>
public sealed class CardPayments(IGrainFactory grains, CardStore store)
{
    // A card's own wallet is fixed when the card is registered, so the lookup is kept. Bounded, for a silo that sees
    // every card of a large network: past the bound it starts again from empty.
    private const int MaxRemembered = 1_000_000;

    private readonly ConcurrentDictionary<CardUid, WalletId> _cardWallets = new();

    /// <summary>Pays <paramref name="request"/> with <paramref name="card"/>. UNKNOWN_CARD for a card that is not registered.</summary>
    public async Task<PaymentResult> PayAsync(CardUid card, SaleRequest request, CancellationToken cancellationToken = default)
    {
        if (request.NamesSecondCard)
        {
            return await grains.GetCard(card).PayAsync(request, cancellationToken);
        }

        var wallet = await CardWalletAsync(card, cancellationToken);
        return await grains.GetWallet(wallet).PayWithCardAsync(request, card, cancellationToken);
    }

    private async ValueTask<WalletId> CardWalletAsync(CardUid card, CancellationToken cancellationToken)
    {
        if (_cardWallets.TryGetValue(card, out var known))
        {
            return known;
        }

        // Not remembered while unknown: the card may be registered later.
        var wallet = await store.FindCardWalletAsync(card, cancellationToken)
            ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
        if (_cardWallets.Count >= MaxRemembered)
        {
            _cardWallets.Clear();
        }

        _cardWallets[card] = wallet;
        return wallet;
    }
}

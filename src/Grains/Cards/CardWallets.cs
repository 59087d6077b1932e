using System.Collections.Concurrent;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// Where a card's own wallet grain is: the address of the one-card sale door (<see cref="IWalletGrain.PayWithCardAsync"/>).
/// A card's own wallet is fixed when the card is registered, so it is kept here; which wallet the card pays from is not:
/// that wallet grain reads the card's row before every sale. Thread-safe; one per silo.
/// </summary>
public sealed class CardWallets(IGrainFactory grains, ICardLinks links)
{
    // Bounded, for a silo that sees every card of a large network: past the bound it starts again from empty.
    private const int MaxRemembered = 1_000_000;

    private readonly ConcurrentDictionary<CardUid, WalletId> _own = new();

    /// <summary>The card's own wallet grain. UNKNOWN_CARD for a card that is not registered.</summary>
    public async ValueTask<IWalletGrain> OwnWalletAsync(CardUid card, CancellationToken cancellationToken = default)
    {
        if (!_own.TryGetValue(card, out var wallet))
        {
            // Not remembered while unknown: the card may be registered later.
            wallet = await links.FindCardWalletAsync(card, cancellationToken)
                ?? throw new DomainException(ErrorCodes.UnknownCard, "This card is not registered.");
            if (_own.Count >= MaxRemembered)
            {
                _own.Clear();
            }

            _own[card] = wallet;
        }

        return grains.GetWallet(wallet);
    }
}

using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>A card's life: blank (never used), anonymous (its own wallet), identified (a user's wallet), lost. Stored as smallint; values frozen.</summary>
public enum CardState
{
    Blank = 0,
    Anonymous = 1,
    Identified = 2,
    Lost = 3,
}

/// <summary>
/// A card as registered. <see cref="Wallet"/> is the wallet it pays from: its own while blank or anonymous, the user's when
/// identified, null when lost. <see cref="CashierAt"/>: venues where it is a cashier (primary) card.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardDetails")]
public sealed record CardDetails(
    CardUid Uid,
    CardNumber Number,
    string QrId,
    string? Batch,
    CardState State,
    WalletId? Wallet,
    ImmutableArray<VenueId> CashierAt,
    DateTimeOffset RegisteredAt);

/// <summary>Links a card to an e-mail: the card's wallet is fused into that user's wallet.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.LinkCardRequest")]
public sealed record LinkCardRequest(IdempotencyKey Key, EmailAddress Email);

/// <summary>The linked card, the user's wallet and what the fusion moved into it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.LinkCardResult")]
public sealed record LinkCardResult(CardDetails Card, WalletId UserWallet, ImmutableArray<AssetMovement> Moved);

/// <summary>One card to register, as typed or read from a file (parsed and checked by the registry).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.NewCard")]
public sealed record NewCard(string Uid, string Number, string QrId);

/// <summary>A batch of cards to register.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.RegisterCardsRequest")]
public sealed record RegisterCardsRequest(string? Batch, ImmutableArray<NewCard> Cards);

/// <summary>Why one line (1-based, as in the file or the list) was not registered.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardImportError")]
public sealed record CardImportError(int Line, string Code, string Message);

/// <summary>
/// What an import did: <see cref="Registered"/> new cards, <see cref="AlreadyRegistered"/> identical ones found (a re-import
/// changes nothing), and one error per refused line. Bad lines never block good ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Cards.CardImportReport")]
public sealed record CardImportReport(int Received, int Registered, int AlreadyRegistered, ImmutableArray<CardImportError> Errors);

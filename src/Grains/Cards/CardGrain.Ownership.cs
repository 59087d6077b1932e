using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Cards;

/// <summary>
/// Who owns the card's money: linking it to an e-mail (only with proof of the card and of the e-mail), declaring it lost
/// (its owner), blocking it (a venue's staff; nothing moves). README "Linking a card: the owner's proofs".
/// </summary>
public sealed partial class CardGrain
{
    /// <summary>How long a mailed confirmation token stays valid.</summary>
    public static readonly TimeSpan LinkTokenLifetime = TimeSpan.FromHours(24);

    public const int MaxBlockReasonLength = 500;

    public async Task<LinkCardResult> LinkToOwnerAsync(OwnerLinkRequest request, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        RequirePresent(row, CardPresence.Secret(request.QrId));
        return await LinkAndFuseAsync(row, request.Key, EmailAddress.Parse(request.Email.Value), ownerSignedIn: true, cancellationToken);
    }

    public async Task<CardLinkStarted> StartLinkAsync(StartCardLinkRequest request, CancellationToken cancellationToken = default)
    {
        var email = EmailAddress.Parse(request.Email.Value);
        var row = await RequireRowAsync(cancellationToken);
        _ = await GrainFactory.GetVenue(request.Venue).GetDetailsAsync(cancellationToken); // NOT_FOUND for an unknown venue
        RequireLinkable(row);
        if (row.State == CardState.Identified)
        {
            throw new DomainException(ErrorCodes.Conflict, "This card is already linked; only its owner links it, from their account.");
        }

        // Refused before any mail: the address's owner could not complete it anyway.
        if (await store.WouldTakeOverAsync(row.Uid, email, cancellationToken))
        {
            throw CardStore.TakeoverRefused();
        }

        if (await usedKeys.IsUsedAsync(request.Key, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow() + LinkTokenLifetime;
        var stored = await links.StartAsync(new PendingCardLink(request.Key, row.Uid, email, request.Venue, expires, null), HashToken(token), cancellationToken);
        if (stored.ConfirmedAt is null)
        {
            // After the row: a mail that fails leaves a link nobody can confirm; the same key again sends a fresh token.
            await mail.SendAsync(new OutgoingMail(email, "Confirm linking your TiBillet card",
                $$"""
                A cashier was asked to link the TiBillet card numbered {{row.Number.Value}} to this address. Nothing happens until you confirm.
                If it was you, confirm with this code (valid until {{expires:yyyy-MM-dd HH:mm}} UTC):

                {{token}}

                (GraphQL: mutation { confirmCardLink(input: {token: "{{token}}"}) { card { number state } } })
                If it was not you, ignore this message: the card stays as it is.
                """), cancellationToken);
            LogLinkStarted(logger, row.Uid.Value, request.Venue.Value);
        }

        return new CardLinkStarted(row.Uid, request.Venue, stored.ExpiresAt, stored.ConfirmedAt is not null);
    }

    public async Task<LinkCardResult> ConfirmLinkAsync(ConfirmCardLinkRequest request, CancellationToken cancellationToken = default)
    {
        var link = await links.FindByTokenAsync(HashToken(request.Token), cancellationToken);
        if (link is null || link.Uid != Uid || (link.ConfirmedAt is null && link.ExpiresAt <= clock.GetUtcNow()))
        {
            throw new DomainException(ErrorCodes.InvalidLinkToken, "This confirmation code is unknown or has expired; ask for a new one at the counter.");
        }

        if (request.SignedIn is { } signedIn && signedIn != link.Email)
        {
            throw new DomainException(ErrorCodes.Forbidden, "This confirmation is for another e-mail address.");
        }

        var row = await RequireRowAsync(cancellationToken);
        // The owner signed in may add the card to a wallet that already has cards; a bare mailed token may not.
        var result = await LinkAndFuseAsync(row, link.Key, link.Email, ownerSignedIn: request.SignedIn is not null, cancellationToken);
        await links.ConfirmAsync(link.Key, cancellationToken);
        return result;
    }

    public async Task<CardDetails> DeclareLostAsync(EmailAddress owner, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.UserWallet is not { } userWallet || row.State is not (CardState.Identified or CardState.Lost)
            || await store.FindUserWalletAsync(owner, cancellationToken) != userWallet)
        {
            throw new DomainException(ErrorCodes.Forbidden, "Only the owner of a linked card declares it lost.");
        }

        if (row.State != CardState.Lost)
        {
            await SetStateAsync(row, CardState.Lost, row.FusionPending, cancellationToken);
            LogLost(logger, row.Uid.Value);
        }

        // Also when already lost: a retry after a failed notice still reaches the wallet.
        await GrainFactory.GetWallet(row.CardWallet).CardChangedAsync(cancellationToken);
        return _row!.ToDetails();
    }

    public async Task<CardDetails> BlockAsync(BlockCardRequest request, CancellationToken cancellationToken = default)
    {
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxBlockReasonLength || reason.Any(char.IsControl))
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A reason is 1 to {MaxBlockReasonLength} printable characters.");
        }

        var row = await RequireRowAsync(cancellationToken);
        if (row.BlockedBy is { } by)
        {
            return by == request.Venue ? row.ToDetails() : throw new DomainException(ErrorCodes.Conflict, "This card is already blocked by another venue.");
        }

        await SetBlockAsync(row, request.Venue, reason, cancellationToken);
        LogBlocked(logger, row.Uid.Value, request.Venue.Value, true);
        return _row!.ToDetails();
    }

    public async Task<CardDetails> UnblockAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        var row = await RequireRowAsync(cancellationToken);
        if (row.BlockedBy is not { } by)
        {
            return row.ToDetails();
        }

        if (by != venue)
        {
            throw new DomainException(ErrorCodes.Forbidden, "Only the venue that blocked this card lifts the block.");
        }

        await SetBlockAsync(row, null, null, cancellationToken);
        LogBlocked(logger, row.Uid.Value, venue.Value, false);
        return _row!.ToDetails();
    }

    /// <summary>The one link path: the proofs were checked by the caller of this method; nothing moved before.</summary>
    private async Task<LinkCardResult> LinkAndFuseAsync(CardRow row, IdempotencyKey key, EmailAddress email, bool ownerSignedIn, CancellationToken cancellationToken)
    {
        RequireLinkable(row);
        if (row.State == CardState.Identified)
        {
            if (await store.FindUserWalletAsync(email, cancellationToken) != row.UserWallet)
            {
                throw new DomainException(ErrorCodes.Conflict, "This card is linked to another user.");
            }
        }
        else
        {
            // A first link whose key already moved money elsewhere would fail at the fusion, after the card had been
            // switched to the user's wallet: refuse it while nothing has changed.
            if (await usedKeys.IsUsedAsync(key, cancellationToken))
            {
                throw new DomainException(ErrorCodes.Conflict, "This idempotency key was already used for a different request.");
            }

            if (await store.LinkAsync(row.Uid, row.Version, email, ownerSignedIn, cancellationToken) is null)
            {
                // Another activation changed the row: start again from the database.
                DeactivateOnIdle();
                throw new DomainException(ErrorCodes.Unavailable, "The card changed meanwhile; retry with the same key.");
            }

            row = (await store.FindByUidAsync(row.Uid, cancellationToken))!;
            _row = row;
            cashiers.Invalidate(row.Uid);
            LogLinked(logger, row.Uid.Value);
        }

        // Before the fusion: from now on the card pays from the user's wallet, and its own wallet must know it.
        await GrainFactory.GetWallet(row.CardWallet).CardChangedAsync(cancellationToken);
        var userWallet = row.UserWallet!.Value;
        // Also when already linked: the wallet replays a used key's first movements, so an interrupted link finishes its
        // fusion exactly once and a retried one answers as the first did; a new key finds nothing left and writes nothing.
        var fusion = await GrainFactory.GetWallet(row.CardWallet).FuseIntoAsync(new FusionRequest(key, userWallet, row.Uid), cancellationToken);
        if (row.FusionPending)
        {
            await SetStateAsync(row, CardState.Identified, fusionPending: false, cancellationToken);
        }

        return new LinkCardResult(_row!.ToDetails(), userWallet, fusion.Movements);
    }

    private static void RequireLinkable(CardRow row)
    {
        if (row.State == CardState.Lost)
        {
            throw new DomainException(ErrorCodes.Conflict, "This card was declared lost.");
        }

        if (row.BlockedBy is not null)
        {
            throw new DomainException(ErrorCodes.Conflict, "This card is blocked; the venue that blocked it must lift the block first.");
        }
    }

    /// <summary>CARD_PROOF_REQUIRED unless the card was tapped at the till or its printed secret was given.</summary>
    private static void RequirePresent(CardRow row, CardPresence? presence)
    {
        var shown = presence is { Tapped: true }
            || presence is { QrId: { } qr } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(qr.Trim()), Encoding.UTF8.GetBytes(row.QrId));
        if (!shown)
        {
            throw new DomainException(ErrorCodes.CardProofRequired, "The card must be present: tap it at the venue's till or give the secret printed on it.");
        }
    }

    private static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));

    private async Task SetBlockAsync(CardRow row, VenueId? venue, string? reason, CancellationToken cancellationToken)
    {
        if (!await store.SetBlockAsync(row.Uid, row.Version, venue, reason, cancellationToken))
        {
            DeactivateOnIdle();
            throw new DomainException(ErrorCodes.Unavailable, "The card changed meanwhile; retry.");
        }

        _row = row with { BlockedBy = venue, BlockedReason = reason, Version = row.Version + 1 };
        cashiers.Invalidate(row.Uid);
        // The card's own wallet reads the block again before its next sale.
        await GrainFactory.GetWallet(row.CardWallet).CardChangedAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} linked to a user")]
    private static partial void LogLinked(ILogger logger, string cardUid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid}: link started at {VenueId}, confirmation mailed")]
    private static partial void LogLinkStarted(ILogger logger, string cardUid, string venueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} declared lost by its owner")]
    private static partial void LogLost(ILogger logger, string cardUid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {CardUid} blocked by {VenueId}: {Blocked}")]
    private static partial void LogBlocked(ILogger logger, string cardUid, string venueId, bool blocked);
}

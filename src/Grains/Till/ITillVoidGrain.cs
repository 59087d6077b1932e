using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>
/// The single writer of one venue's voids (keyed by the venue id): lines are checked and voided one request at a time, so
/// a line is never voided twice, whatever the keys. The seam other capabilities (table orders) void paid lines through.
/// </summary>
[Alias("TiBillet.Grains.Till.ITillVoidGrain")]
public interface ITillVoidGrain : IGrainWithStringKey
{
    /// <summary>
    /// Voids paid sale lines: each line's money goes back through the ledger under a key derived from the request's (the
    /// card's part from the venue's wallet to the card's wallet, kind REFUND; a cash or bank card part as money paid out),
    /// with a void line naming it and the reason, in the same transaction; counted stock is given back. All lines are
    /// checked before any is voided. The same request again replays. NOT_FOUND for a line that is not this venue's;
    /// ALREADY_VOIDED for a line voided before (under another key) or itself a void; BAD_USER_INPUT for a line that is not
    /// a paid sale (top-ups, refunds, badges; nothing paid), no lines or more than 100, or a reason not of 1 to 500
    /// characters; UNAVAILABLE (retry with the same key).
    /// </summary>
    [Alias("VoidAsync")]
    Task<ImmutableArray<VoidedLine>> VoidAsync(TillVoidRequest request, CancellationToken cancellationToken = default);
}

public static class TillVoidGrainFactoryExtensions
{
    public static ITillVoidGrain GetTillVoids(this IGrainFactory grains, VenueId venue) => grains.GetGrain<ITillVoidGrain>(venue.Value);
}

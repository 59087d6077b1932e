using System.Collections.Immutable;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Till;

/// <summary>
/// A manager voids paid sale lines of <see cref="Venue"/> (rows of <c>sale_lines</c>, by id) with a reason. <see cref="Key"/>
/// is the client's, scoped to the venue: each line's ledger operation is keyed from it, so a retry replays. <see cref="VoidedBy"/>:
/// the manager (a staff user id), recorded as the void lines' cashier.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.TillVoidRequest")]
public sealed record TillVoidRequest(IdempotencyKey Key, ImmutableArray<long> Lines, string Reason, string VoidedBy);

/// <summary>One line voided: what went back, how (the card's asset, or cash or bank card), in which ledger operation.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.VoidedLine")]
public sealed record VoidedLine(long Line, long Amount, SaleLineMeans Means, AssetId? Asset, CardUid? Card, Guid OperationId);

/// <summary>A stored sale line as voids and their readers see it.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Till.StoredSaleLine")]
public sealed record StoredSaleLine(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid Operation,
    [property: Id(2)] TillContext Context,
    [property: Id(3)] SaleLineRow Row,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] bool Voided,
    [property: Id(6)] string? VoidKey);

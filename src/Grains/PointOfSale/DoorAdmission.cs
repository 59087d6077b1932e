using TiBillet.Grains.Events;

namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// What a tap at a door till found out about the card holder's ticket. For CHECKED_IN: the event, the ticket just
/// scanned, and how many of the holder's tickets for that event are still to be let in. For ALREADY_IN: when, where and
/// by whom the last ticket was scanned. For WRONG_DAY: the event the holder has a ticket for instead.
/// </summary>
/// <param name="Remaining">The holder's confirmed tickets for <see cref="Event"/> not scanned yet (each tap lets one person in).</param>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.DoorAdmission")]
public sealed record DoorAdmission(
    EventId? Event,
    string? EventTitle,
    DateTimeOffset? EventStartsAt,
    Guid? Ticket,
    string? HolderName,
    int Remaining,
    DateTimeOffset? CheckedInAt,
    string? CheckedInBy,
    string? CheckedInWhere);

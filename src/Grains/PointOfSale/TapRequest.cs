namespace TiBillet.Grains.PointOfSale;

/// <summary>
/// A card read by a reader of this point of sale. <see cref="TapId"/> is chosen by the reader agent, fresh per card
/// presence and reused by its retries. <see cref="Uid"/> is as the reader read it: a UID that is not 4 or 7 bytes of hex
/// is an unknown card, not an error.
/// </summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.PointOfSale.TapRequest")]
public sealed record TapRequest(string TapId, string ReaderName, string Uid);

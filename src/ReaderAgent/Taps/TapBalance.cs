namespace TiBillet.ReaderAgent.Taps;

/// <summary>A balance shown after a tap: asset code (FED, TLF, …) and amount in cents.</summary>
public sealed record TapBalance(string Asset, long Amount);

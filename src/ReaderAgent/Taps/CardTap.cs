namespace TiBillet.ReaderAgent.Taps;

/// <summary>
/// A card placed on a reader and read. <see cref="TapId"/> is fresh per presence and reused by every retry, so the
/// server acts on the tap once. <see cref="ReadTimestamp"/> is a <see cref="System.Diagnostics.Stopwatch"/> timestamp
/// taken when the UID was read, for latency.
/// </summary>
public sealed record CardTap(string TapId, string ReaderName, string Uid, long ReadTimestamp);

namespace TiBillet.ReaderAgent.Taps;

/// <summary>What the watcher saw on a reader: on first sight and whenever a card arrives or leaves.</summary>
public sealed record ReaderPresence(string ReaderName, bool CardPresent);

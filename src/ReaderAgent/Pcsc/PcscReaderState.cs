namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// One entry of an SCardGetStatusChange call: what the caller knows (<see cref="CurrentState"/>) and what the daemon
/// reported (<see cref="EventState"/>, <see cref="Atr"/>). Call <see cref="Acknowledge"/> after handling a change,
/// so the next call waits for the next one.
/// </summary>
public sealed class PcscReaderState(string readerName)
{
    private const uint FlagsMask = 0xFFFF;

    /// <summary>The reader's name, or <see cref="PcscContext.PnpNotificationReader"/>.</summary>
    public string ReaderName { get; } = readerName;

    /// <summary>The state the caller last saw, counter bits included; <see cref="PcscReaderStates.Unaware"/> at first.</summary>
    public PcscReaderStates CurrentState { get; set; }

    /// <summary>The state reported by the last call, counter bits included.</summary>
    public PcscReaderStates EventState { get; internal set; }

    /// <summary>The ATR of the card on the reader, as of the last call; empty when none.</summary>
    public ReadOnlyMemory<byte> Atr { get; internal set; }

    /// <summary>The reported flags without pcsclite's counter.</summary>
    public PcscReaderStates EventFlags => EventState & (PcscReaderStates)FlagsMask;

    /// <summary>
    /// pcsclite's counter from the high 16 bits of the reported state: card insertions plus removals for a reader
    /// (so a card swapped between two calls still shows), the reader count for the PnP entry.
    /// </summary>
    public int EventCounter => (int)((uint)EventState >> 16);

    /// <summary>The counter of <see cref="CurrentState"/>.</summary>
    public int CurrentCounter => (int)((uint)CurrentState >> 16);

    /// <summary>True when the last call reported a change for this entry.</summary>
    public bool HasChanged => EventState.HasFlag(PcscReaderStates.Changed);

    /// <summary>Takes the reported state as known, counter included, as pcsclite expects.</summary>
    public void Acknowledge() => CurrentState = EventState & ~PcscReaderStates.Changed;
}

using Microsoft.Extensions.Options;
using TiBillet.ReaderAgent.Pcsc;
using TiBillet.ReaderAgent.Taps;

namespace TiBillet.ReaderAgent.Feedback;

/// <summary>
/// Lights and beeps the reader after a tap, on readers known to take the command (ACR122U and its kin). Best effort:
/// the card may be gone already, and any failure is logged at Debug and never fails the tap.
/// </summary>
public sealed partial class ReaderFeedback(IOptions<ReaderAgentOptions> options, ILogger<ReaderFeedback> logger)
{
    // ACR122U "LED and buzzer control" pseudo-APDU: FF 00 40 <LED state> 04 <T1> <T2> <repetitions> <buzzer link>,
    // T1/T2 in 100 ms units. 0xA0: blink green; 0x50: blink red. Buzzer link 01: beep during T1.
    private static readonly byte[] Positive = [0xFF, 0x00, 0x40, 0xA0, 0x04, 0x01, 0x01, 0x01, 0x01];
    private static readonly byte[] Negative = [0xFF, 0x00, 0x40, 0x50, 0x04, 0x02, 0x02, 0x03, 0x01];

    /// <summary>True for readers whose firmware takes the ACR122 LED/buzzer command.</summary>
    public static bool Supports(string readerName) => readerName.Contains("ACR122", StringComparison.OrdinalIgnoreCase);

    /// <summary>Signals <paramref name="completed"/> on its reader, when enabled and supported. Never throws.</summary>
    public Task SignalAsync(TapCompleted completed)
    {
        var readerName = completed.Tap.ReaderName;
        if (!options.Value.Beep || !Supports(readerName))
        {
            return Task.CompletedTask;
        }

        var command = completed.IsPositive ? Positive : Negative;
        // PC/SC calls block; and the watcher's context is busy waiting for status changes, so use one of our own.
        return Task.Run(() => Signal(readerName, command));
    }

    private void Signal(string readerName, byte[] command)
    {
        try
        {
            using var context = PcscContext.Establish();
            using var card = context.Connect(readerName, PcscShareMode.Shared, PcscProtocols.Any);
            card.Transmit(command);
        }
        catch (PcscException ex)
        {
            LogSignalFailed(readerName, ex.Operation, ex.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No light/beep on {ReaderName} ({Operation}: {Error})")]
    private partial void LogSignalFailed(string readerName, string operation, PcscError error);
}

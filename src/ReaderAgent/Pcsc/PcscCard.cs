namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>A connection to the card in one reader (SCardConnect). Dispose disconnects and leaves the card as is.</summary>
public sealed unsafe class PcscCard : IDisposable
{
    // pcsclite's MAX_BUFFER_SIZE: a short APDU response (256 data bytes + SW1 SW2) with room to spare.
    private const int MaxResponseLength = 264;

    private readonly PcscCardHandle _handle;

    internal PcscCard(PcscCardHandle handle, PcscProtocols activeProtocol)
    {
        _handle = handle;
        ActiveProtocol = activeProtocol;
    }

    /// <summary>The protocol negotiated by SCardConnect (T=0 or T=1 for a card, undefined for a direct connection).</summary>
    public PcscProtocols ActiveProtocol { get; }

    /// <summary>SCARD_CTL_CODE as pcsclite defines it, for <see cref="Control"/>.</summary>
    public static uint ControlCode(uint function) => 0x42000000 + function;

    /// <summary>Sends a command APDU and returns the response APDU, status word included.</summary>
    public byte[] Transmit(ReadOnlySpan<byte> command)
    {
        var sendPci = new PcscNativeIoRequest { Protocol = (uint)ActiveProtocol, PciLength = (nuint)sizeof(PcscNativeIoRequest) };
        Span<byte> response = stackalloc byte[MaxResponseLength];
        nuint length = MaxResponseLength;
        nint result;
        fixed (byte* send = command)
        fixed (byte* receive = response)
        {
            result = PcscNative.SCardTransmit(_handle, &sendPci, send, (nuint)command.Length, null, receive, ref length);
        }

        PcscException.ThrowIfFailed(result, "SCardTransmit");
        return response[..(int)length].ToArray();
    }

    /// <summary>Sends a reader control command (SCardControl) and returns the reader's answer.</summary>
    public byte[] Control(uint controlCode, ReadOnlySpan<byte> input)
    {
        Span<byte> output = stackalloc byte[MaxResponseLength];
        nint result;
        nuint returned;
        fixed (byte* send = input)
        fixed (byte* receive = output)
        {
            result = PcscNative.SCardControl(_handle, controlCode, send, (nuint)input.Length, receive, (nuint)output.Length, out returned);
        }

        PcscException.ThrowIfFailed(result, "SCardControl");
        return output[..(int)returned].ToArray();
    }

    /// <summary>Disconnects (SCARD_LEAVE_CARD).</summary>
    public void Dispose() => _handle.Dispose();
}

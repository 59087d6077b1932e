namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>A PC/SC call returned an error code; <see cref="Error"/> says which.</summary>
public sealed class PcscException : Exception
{
    public PcscException(PcscError error, string operation)
        : base($"{operation} failed: {error} (0x{(uint)error:X8})")
    {
        Error = error;
        Operation = operation;
    }

    /// <summary>The PC/SC return code.</summary>
    public PcscError Error { get; }

    /// <summary>The PC/SC function that failed, e.g. <c>SCardConnect</c>.</summary>
    public string Operation { get; }

    /// <summary>
    /// True when the daemon is gone or restarted: every handle of the context is dead, so the caller must release
    /// the context and establish a new one.
    /// </summary>
    public bool IsServiceLost => Error is PcscError.NoService or PcscError.ServiceStopped
        or PcscError.InvalidHandle or PcscError.CommError;

    /// <summary>True when the card left the reader (or never arrived) before the operation could finish.</summary>
    public bool IsCardGone => Error is PcscError.RemovedCard or PcscError.NoSmartcard or PcscError.ResetCard
        or PcscError.UnpoweredCard or PcscError.UnresponsiveCard or PcscError.CommDataLost;

    /// <summary>Throws when <paramref name="result"/>, a pcsclite <c>LONG</c>, is not SCARD_S_SUCCESS.</summary>
    internal static void ThrowIfFailed(nint result, string operation)
    {
        if (result != 0)
        {
            throw new PcscException(ToError(result), operation);
        }
    }

    /// <summary>
    /// pcsclite returns <c>LONG</c>: 64 bits on 64-bit Linux, where 0x80100002 stays positive; 32 bits elsewhere,
    /// where it is negative. Both truncate to the same 32-bit code.
    /// </summary>
    internal static PcscError ToError(nint result) => (PcscError)unchecked((uint)result);
}

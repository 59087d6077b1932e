using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TiBillet.ReaderAgent.Pcsc;

namespace TiBillet.ReaderAgent.Tests.Pcsc;

public sealed class PcscNativeLayoutTests
{
    [Fact]
    public void Reader_state_matches_pcsclite_on_64_bit_linux()
    {
        Assert.SkipUnless(Environment.Is64BitProcess, "The numbers below are those of LP64 Linux.");

        // sizeof/offsetof as compiled from pcsclite.h 1.9.9 (Debian 12, x86_64) with gcc.
        Assert.Equal(80, Unsafe.SizeOf<PcscNativeReaderState>());
        Assert.Equal(16, (int)Marshal.OffsetOf<PcscNativeReaderState>(nameof(PcscNativeReaderState.CurrentState)));
        Assert.Equal(24, (int)Marshal.OffsetOf<PcscNativeReaderState>(nameof(PcscNativeReaderState.EventState)));
        Assert.Equal(32, (int)Marshal.OffsetOf<PcscNativeReaderState>(nameof(PcscNativeReaderState.AtrLength)));
        Assert.Equal(40, (int)Marshal.OffsetOf<PcscNativeReaderState>(nameof(PcscNativeReaderState.Atr)));
        Assert.Equal(16, Unsafe.SizeOf<PcscNativeIoRequest>());
    }

    [Fact]
    public void Return_codes_map_to_typed_errors_whatever_the_width_of_long()
    {
        Assert.Equal(PcscError.NoService, PcscException.ToError(unchecked((nint)0x8010001DL)));
        Assert.Equal(PcscError.Cancelled, PcscException.ToError(unchecked((nint)(int)0x80100002)));
        var exception = Assert.Throws<PcscException>(() => PcscException.ThrowIfFailed(unchecked((nint)0x8010002EL), "SCardListReaders"));
        Assert.Equal(PcscError.NoReadersAvailable, exception.Error);
        Assert.Equal("SCardListReaders", exception.Operation);
    }
}

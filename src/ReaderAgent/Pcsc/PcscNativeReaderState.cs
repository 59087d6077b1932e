using System.Runtime.InteropServices;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// SCARD_READERSTATE as pcsclite lays it out on Linux: two pointers, three <c>unsigned long</c> (DWORD), then
/// <c>rgbAtr[MAX_ATR_SIZE = 33]</c>, padded by the compiler (80 bytes on 64-bit, 56 on 32-bit).
/// <c>nuint</c> is C <c>unsigned long</c> on LP64 and ILP32 Linux alike.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PcscNativeReaderState
{
    public const int MaxAtrSize = 33;

    public byte* Reader;
    public nint UserData;
    public nuint CurrentState;
    public nuint EventState;
    public nuint AtrLength;
    public fixed byte Atr[MaxAtrSize];
}

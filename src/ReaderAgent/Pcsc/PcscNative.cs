using System.Runtime.InteropServices;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// The WinSCard API of the system's pcsclite. On Linux pcsclite's wintypes.h declares <c>LONG</c> as C <c>long</c> and
/// <c>DWORD</c> as C <c>unsigned long</c> (8 bytes on 64-bit), and SCARDCONTEXT/SCARDHANDLE as <c>LONG</c>; they are
/// <c>nint</c>/<c>nuint</c> here, which have exactly that size on Linux. (macOS' PCSC framework uses 32-bit types and
/// packed structs; it is not a target.)
/// </summary>
internal static unsafe partial class PcscNative
{
    private const string Library = "libpcsclite.so.1";

    public const nuint ScopeSystem = 0x0002;
    public const nuint LeaveCard = 0x0000;
    public const uint Infinite = 0xFFFFFFFF;

    [LibraryImport(Library)]
    public static partial nint SCardEstablishContext(nuint scope, nint reserved1, nint reserved2, out nint context);

    [LibraryImport(Library)]
    public static partial nint SCardReleaseContext(nint context);

    [LibraryImport(Library)]
    public static partial nint SCardListReaders(PcscContextHandle context, byte* groups, byte* readers, ref nuint readersLength);

    [LibraryImport(Library)]
    public static partial nint SCardGetStatusChange(PcscContextHandle context, nuint timeoutMilliseconds, PcscNativeReaderState* readerStates, nuint readerCount);

    [LibraryImport(Library)]
    public static partial nint SCardCancel(PcscContextHandle context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SCardConnect(PcscContextHandle context, string reader, nuint shareMode, nuint preferredProtocols, out nint card, out nuint activeProtocol);

    [LibraryImport(Library)]
    public static partial nint SCardDisconnect(nint card, nuint disposition);

    [LibraryImport(Library)]
    public static partial nint SCardTransmit(PcscCardHandle card, PcscNativeIoRequest* sendPci, byte* sendBuffer, nuint sendLength, PcscNativeIoRequest* receivePci, byte* receiveBuffer, ref nuint receiveLength);

    [LibraryImport(Library)]
    public static partial nint SCardControl(PcscCardHandle card, nuint controlCode, byte* sendBuffer, nuint sendLength, byte* receiveBuffer, nuint receiveLength, out nuint bytesReturned);
}

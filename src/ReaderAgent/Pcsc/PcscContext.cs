using System.Runtime.InteropServices;
using System.Text;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// A PC/SC resource-manager context (SCardEstablishContext). Calls block; <see cref="Cancel"/> may be called from
/// another thread to end a pending <see cref="GetStatusChange"/>. pcsclite serialises other calls on one context,
/// so a thread that must not wait for a status change uses a context of its own. Dispose releases the context.
/// </summary>
public sealed unsafe class PcscContext : IDisposable
{
    /// <summary>The pseudo reader whose state changes when a reader is plugged in or removed.</summary>
    public const string PnpNotificationReader = @"\\?PnP?\Notification";

    private readonly PcscContextHandle _handle;

    private PcscContext(PcscContextHandle handle) => _handle = handle;

    /// <summary>Connects to pcscd. Throws <see cref="PcscException"/> with <see cref="PcscError.NoService"/> when it is not running.</summary>
    public static PcscContext Establish()
    {
        var result = PcscNative.SCardEstablishContext(PcscNative.ScopeSystem, 0, 0, out var context);
        PcscException.ThrowIfFailed(result, "SCardEstablishContext");
        return new PcscContext(new PcscContextHandle(context));
    }

    /// <summary>The names of the readers pcscd knows; empty when there are none.</summary>
    public IReadOnlyList<string> ListReaders()
    {
        while (true)
        {
            nuint length = 0;
            var result = PcscNative.SCardListReaders(_handle, null, null, ref length);
            if (PcscException.ToError(result) == PcscError.NoReadersAvailable)
            {
                return [];
            }

            PcscException.ThrowIfFailed(result, "SCardListReaders");
            var buffer = new byte[checked((int)length)];
            fixed (byte* readers = buffer)
            {
                result = PcscNative.SCardListReaders(_handle, null, readers, ref length);
            }

            switch (PcscException.ToError(result))
            {
                case PcscError.NoReadersAvailable:
                    return [];
                case PcscError.InsufficientBuffer:
                    continue; // A reader arrived between the two calls; ask for the size again.
                default:
                    PcscException.ThrowIfFailed(result, "SCardListReaders");
                    return ParseMultiString(buffer.AsSpan(0, (int)length));
            }
        }
    }

    /// <summary>
    /// Waits until the state of one of <paramref name="readers"/> differs from its <see cref="PcscReaderState.CurrentState"/>,
    /// then fills every <see cref="PcscReaderState.EventState"/>. Returns false when <paramref name="timeout"/> passed
    /// with no change (SCARD_E_TIMEOUT). <see cref="Timeout.InfiniteTimeSpan"/> waits for ever. Throws
    /// <see cref="PcscException"/> with <see cref="PcscError.Cancelled"/> after <see cref="Cancel"/>.
    /// </summary>
    public bool GetStatusChange(IReadOnlyList<PcscReaderState> readers, TimeSpan timeout)
    {
        var count = readers.Count;
        var states = (PcscNativeReaderState*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(PcscNativeReaderState));
        try
        {
            for (var i = 0; i < count; i++)
            {
                states[i].Reader = (byte*)Marshal.StringToCoTaskMemUTF8(readers[i].ReaderName);
                states[i].CurrentState = (uint)readers[i].CurrentState;
            }

            var result = PcscNative.SCardGetStatusChange(_handle, ToMilliseconds(timeout), states, (nuint)count);
            if (PcscException.ToError(result) == PcscError.Timeout)
            {
                return false;
            }

            PcscException.ThrowIfFailed(result, "SCardGetStatusChange");
            for (var i = 0; i < count; i++)
            {
                readers[i].EventState = (PcscReaderStates)(uint)states[i].EventState;
                var atrLength = (int)Math.Min(states[i].AtrLength, (nuint)PcscNativeReaderState.MaxAtrSize);
                readers[i].Atr = new ReadOnlySpan<byte>(states[i].Atr, atrLength).ToArray();
            }

            return true;
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                Marshal.FreeCoTaskMem((nint)states[i].Reader);
            }

            NativeMemory.Free(states);
        }
    }

    /// <summary>Connects to the card in <paramref name="reader"/>. Throws <see cref="PcscError.NoSmartcard"/> when the reader is empty.</summary>
    public PcscCard Connect(string reader, PcscShareMode shareMode, PcscProtocols preferredProtocols)
    {
        var result = PcscNative.SCardConnect(_handle, reader, (nuint)shareMode, (nuint)preferredProtocols, out var card, out var activeProtocol);
        PcscException.ThrowIfFailed(result, "SCardConnect");
        return new PcscCard(new PcscCardHandle(card), (PcscProtocols)(uint)activeProtocol);
    }

    /// <summary>Ends a pending <see cref="GetStatusChange"/> on this context; safe to call from any thread.</summary>
    public void Cancel()
    {
        var result = PcscNative.SCardCancel(_handle);
        PcscException.ThrowIfFailed(result, "SCardCancel");
    }

    /// <summary>Releases the context (SCardReleaseContext) once no call is using it any more.</summary>
    public void Dispose() => _handle.Dispose();

    private static nuint ToMilliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? PcscNative.Infinite : (nuint)Math.Clamp((long)timeout.TotalMilliseconds, 0, PcscNative.Infinite - 1);

    private static string[] ParseMultiString(ReadOnlySpan<byte> multiString)
    {
        // "reader 1\0reader 2\0\0": names end with NUL, the list with an empty name.
        var names = new List<string>();
        while (!multiString.IsEmpty)
        {
            var end = multiString.IndexOf((byte)0);
            var name = end < 0 ? multiString : multiString[..end];
            if (name.IsEmpty)
            {
                break;
            }

            names.Add(Encoding.UTF8.GetString(name));
            multiString = end < 0 ? [] : multiString[(end + 1)..];
        }

        return [.. names];
    }
}

using System.Runtime.InteropServices;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>Owns an SCARDHANDLE; releasing it disconnects with SCARD_LEAVE_CARD.</summary>
internal sealed class PcscCardHandle : SafeHandle
{
    private bool _connected;

    public PcscCardHandle(nint card)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(card);
        _connected = true;
    }

    public override bool IsInvalid => !_connected;

    protected override bool ReleaseHandle()
    {
        _connected = false;
        // A card already removed, or a daemon already gone, makes the disconnect fail; nothing is left to free.
        _ = PcscNative.SCardDisconnect(handle, PcscNative.LeaveCard);
        return true;
    }
}

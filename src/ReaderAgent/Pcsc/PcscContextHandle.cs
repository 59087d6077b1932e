using System.Runtime.InteropServices;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// Owns an SCARDCONTEXT. Any value, 0 included, can be a valid context, so validity is tracked apart from the value.
/// The SafeHandle reference count keeps the context alive while a call (a blocking SCardGetStatusChange, say) uses it.
/// </summary>
internal sealed class PcscContextHandle : SafeHandle
{
    private bool _established;

    public PcscContextHandle(nint context)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(context);
        _established = true;
    }

    public override bool IsInvalid => !_established;

    protected override bool ReleaseHandle()
    {
        _established = false;
        // After a daemon restart the release fails (no service); the client side is freed all the same.
        _ = PcscNative.SCardReleaseContext(handle);
        return true;
    }
}

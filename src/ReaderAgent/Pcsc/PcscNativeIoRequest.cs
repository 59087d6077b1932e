using System.Runtime.InteropServices;

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>SCARD_IO_REQUEST: <c>{ unsigned long dwProtocol; unsigned long cbPciLength; }</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PcscNativeIoRequest
{
    public nuint Protocol;
    public nuint PciLength;
}

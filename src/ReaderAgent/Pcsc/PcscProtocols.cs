namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>SCARD_PROTOCOL_* values: what a connection may negotiate and what it got.</summary>
[Flags]
public enum PcscProtocols : uint
{
    Undefined = 0x0000,
    T0 = 0x0001,
    T1 = 0x0002,
    Raw = 0x0004,
    Any = T0 | T1,
}

namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>SCARD_SHARE_* values for <see cref="PcscContext.Connect"/>.</summary>
public enum PcscShareMode : uint
{
    Exclusive = 0x0001,
    Shared = 0x0002,
    Direct = 0x0003,
}

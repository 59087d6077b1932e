namespace TiBillet.ReaderAgent.Pcsc;

/// <summary>
/// PC/SC return codes (pcsclite.h, same values as WinSCard). A code the enum does not name is kept as its number.
/// </summary>
public enum PcscError : uint
{
    Success = 0x00000000,
    InternalError = 0x80100001,
    Cancelled = 0x80100002,
    InvalidHandle = 0x80100003,
    InvalidParameter = 0x80100004,
    NoMemory = 0x80100006,
    InsufficientBuffer = 0x80100008,
    UnknownReader = 0x80100009,
    Timeout = 0x8010000A,
    SharingViolation = 0x8010000B,
    NoSmartcard = 0x8010000C,
    ProtocolMismatch = 0x8010000F,
    NotReady = 0x80100010,
    InvalidValue = 0x80100011,
    SystemCancelled = 0x80100012,
    CommError = 0x80100013,
    UnknownError = 0x80100014,
    ReaderUnavailable = 0x80100017,
    Shutdown = 0x80100018,
    PciTooSmall = 0x80100019,
    NoService = 0x8010001D,
    ServiceStopped = 0x8010001E,
    Unexpected = 0x8010001F,
    NoReadersAvailable = 0x8010002E,
    CommDataLost = 0x8010002F,
    ServerTooBusy = 0x80100031,
    UnsupportedCard = 0x80100065,
    UnresponsiveCard = 0x80100066,
    UnpoweredCard = 0x80100067,
    ResetCard = 0x80100068,
    RemovedCard = 0x80100069,
}

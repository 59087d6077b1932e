using TiBillet.PcscRig;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>The PC/SC rig's daemon as an xunit fixture: started before the tests that share it, stopped after.</summary>
public sealed class PcscDaemon : PcscDaemonProcess, IAsyncLifetime;

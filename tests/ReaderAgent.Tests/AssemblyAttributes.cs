using TiBillet.ReaderAgent.Tests.Rig;

// One real pcscd for the whole run, with two virtual readers.
[assembly: AssemblyFixture(typeof(PcscDaemon))]

// The tests share that daemon and its two readers, and some kill and restart it: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

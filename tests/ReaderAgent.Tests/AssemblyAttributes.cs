using TiBillet.ReaderAgent.Tests.Rig;
using TiBillet.Testing;

// One real pcscd for the whole run, with two virtual readers.
[assembly: AssemblyFixture(typeof(PcscDaemon))]

// One throwaway PostgreSQL server for the end-to-end tests' silo.
[assembly: AssemblyFixture(typeof(TestPostgres))]

// The tests share that daemon and its two readers, and some kill and restart it: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

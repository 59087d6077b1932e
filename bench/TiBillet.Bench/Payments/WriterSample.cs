using TiBillet.Grains.Ledger;

namespace TiBillet.Bench.Payments;

/// <summary>The ledger writer's counters at one moment; the difference of two describes the batches of a load run.</summary>
public readonly record struct WriterSample(long Batches, long Entries, TimeSpan Busy, TimeSpan Write, TimeSpan Commit)
{
    public static WriterSample Take(LedgerWriter writer)
    {
        var phases = writer.Phases;
        return new(writer.BatchesCommitted, writer.EntriesCommitted, writer.BusyTime, phases.Write, phases.Commit);
    }

    public static WriterSample operator -(WriterSample a, WriterSample b) =>
        new(a.Batches - b.Batches, a.Entries - b.Entries, a.Busy - b.Busy, a.Write - b.Write, a.Commit - b.Commit);

    public double AverageBatch => (double)Entries / Math.Max(1, Batches);

    /// <summary>Batch size, share of the run the writer was busy (over 100 % when a commit overlaps the next write), and time per batch.</summary>
    public string Describe(double seconds) =>
        $"average batch {AverageBatch:0.0}, writer busy {Busy.TotalSeconds / seconds:P0}, per batch: write {Write.TotalMilliseconds / Math.Max(1, Batches):0.00} ms, commit {Commit.TotalMilliseconds / Math.Max(1, Batches):0.00} ms";
}

using TiBillet.Grains.Ledger;

namespace TiBillet.Bench.Payments;

/// <summary>The ledger writer's meters (summed by a <see cref="LedgerMetricsListener"/>) at one moment; the difference of two describes the batches of a load run.</summary>
public readonly record struct WriterSample(long Batches, long Entries, TimeSpan Busy, TimeSpan Write, TimeSpan Commit)
{
    public static WriterSample Take(LedgerMetricsListener meters)
    {
        var totals = meters.Totals;
        return new(totals.Batches, totals.Operations, totals.Busy, totals.Write, totals.Commit);
    }

    public static WriterSample operator -(WriterSample a, WriterSample b) =>
        new(a.Batches - b.Batches, a.Entries - b.Entries, a.Busy - b.Busy, a.Write - b.Write, a.Commit - b.Commit);

    public double AverageBatch => (double)Entries / Math.Max(1, Batches);

    /// <summary>Share of a run of <paramref name="seconds"/> the writer was busy: over 1 when a commit overlaps the next write.</summary>
    public double BusyShare(double seconds) => Busy.TotalSeconds / seconds;

    /// <summary>Batch size, <see cref="BusyShare"/> and time per batch.</summary>
    public string Describe(double seconds) =>
        $"average batch {AverageBatch:0.0}, writer busy {BusyShare(seconds):P0}, per batch: write {Write.TotalMilliseconds / Math.Max(1, Batches):0.00} ms, commit {Commit.TotalMilliseconds / Math.Max(1, Batches):0.00} ms";
}

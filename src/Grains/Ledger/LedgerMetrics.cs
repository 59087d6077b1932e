using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The ledger writer's meter and its instruments (<see cref="System.Diagnostics.Metrics"/>), read by the benchmarks with a
/// <c>MeterListener</c> and by any exporter that listens to <see cref="MeterName"/>. Every measurement carries the writer's
/// id as tag <see cref="WriterTag"/>, so several writers in one process (a test cluster) stay apart.
/// </summary>
public static class LedgerMetrics
{
    /// <summary>The meter every ledger writer publishes on.</summary>
    public const string MeterName = "TiBillet.Ledger";

    /// <summary>Operations committed (counter).</summary>
    public const string OperationsCommitted = "tibillet.ledger.operations.committed";

    /// <summary>Operations per committed batch (histogram; its count is the number of batches).</summary>
    public const string BatchSize = "tibillet.ledger.batch.size";

    /// <summary>How long each batch's COMMIT took, in milliseconds (histogram).</summary>
    public const string CommitDuration = "tibillet.ledger.commit.duration";

    /// <summary>The other phases of a batch, in milliseconds (histogram, tag <see cref="PhaseTag"/>: claim, build, write).</summary>
    public const string PhaseDuration = "tibillet.ledger.phase.duration";

    /// <summary>Time the writer spent on batches, from taking one to answering its waiters, in milliseconds (counter).</summary>
    public const string BusyTime = "tibillet.ledger.busy.time";

    /// <summary>Operations written in a transaction of their own after their batch was refused (counter).</summary>
    public const string OperationsWrittenAlone = "tibillet.ledger.operations.written_alone";

    public const string WriterTag = "writer_id";

    public const string PhaseTag = "phase";
}

/// <summary>One writer's instruments. Recording costs next to nothing while nobody listens.</summary>
internal sealed class LedgerWriterMetrics : IDisposable
{
    private readonly Meter _meter = new(LedgerMetrics.MeterName);
    private readonly KeyValuePair<string, object?> _writer;
    private readonly Counter<long> _committed;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commit;
    private readonly Histogram<double> _phase;
    private readonly Counter<double> _busy;
    private readonly Counter<long> _alone;

    public LedgerWriterMetrics(Guid writerId)
    {
        _writer = new(LedgerMetrics.WriterTag, writerId.ToString());
        _committed = _meter.CreateCounter<long>(LedgerMetrics.OperationsCommitted, "{operation}", "Operations committed");
        _batchSize = _meter.CreateHistogram<int>(LedgerMetrics.BatchSize, "{operation}", "Operations per committed batch");
        _commit = _meter.CreateHistogram<double>(LedgerMetrics.CommitDuration, "ms", "Duration of a batch's COMMIT");
        _phase = _meter.CreateHistogram<double>(LedgerMetrics.PhaseDuration, "ms", "Duration of a batch's claim, build and write phases");
        _busy = _meter.CreateCounter<double>(LedgerMetrics.BusyTime, "ms", "Time spent on batches");
        _alone = _meter.CreateCounter<long>(LedgerMetrics.OperationsWrittenAlone, "{operation}", "Operations written alone after their batch was refused");
    }

    public void BatchCommitted(int operations)
    {
        _committed.Add(operations, _writer);
        _batchSize.Record(operations, _writer);
    }

    public void Claim(long fromTimestamp, long toTimestamp) => Phase("claim", fromTimestamp, toTimestamp);

    public void Build(long fromTimestamp, long toTimestamp) => Phase("build", fromTimestamp, toTimestamp);

    public void Write(long fromTimestamp, long toTimestamp) => Phase("write", fromTimestamp, toTimestamp);

    public void Commit(long fromTimestamp, long toTimestamp) => _commit.Record(Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMilliseconds, _writer);

    public void Busy(long fromTimestamp) => _busy.Add(Stopwatch.GetElapsedTime(fromTimestamp).TotalMilliseconds, _writer);

    public void WrittenAlone() => _alone.Add(1, _writer);

    public void Dispose() => _meter.Dispose();

    private void Phase(string phase, long fromTimestamp, long toTimestamp) =>
        _phase.Record(Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMilliseconds, _writer, new(LedgerMetrics.PhaseTag, phase));
}

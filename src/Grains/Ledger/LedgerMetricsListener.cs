using System.Diagnostics.Metrics;

namespace TiBillet.Grains.Ledger;

/// <summary>What the ledger meters counted since a <see cref="LedgerMetricsListener"/> started.</summary>
public readonly record struct LedgerTotals(
    long Batches, long Operations, long WrittenAlone, TimeSpan Busy, TimeSpan Claim, TimeSpan Build, TimeSpan Write, TimeSpan Commit)
{
    public static LedgerTotals operator -(LedgerTotals a, LedgerTotals b) => new(
        a.Batches - b.Batches, a.Operations - b.Operations, a.WrittenAlone - b.WrittenAlone,
        a.Busy - b.Busy, a.Claim - b.Claim, a.Build - b.Build, a.Write - b.Write, a.Commit - b.Commit);
}

/// <summary>
/// Sums the <see cref="LedgerMetrics.MeterName"/> instruments in process, for the benchmarks and tests (an exporter
/// such as a <c>/metrics</c> endpoint listens to the same meter its own way). With a writer id, only that writer's
/// measurements count. Thread-safe.
/// </summary>
public sealed class LedgerMetricsListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string? _writer;
    private long _batches;
    private long _operations;
    private long _alone;
    private long _busy;
    private long _claim;
    private long _build;
    private long _write;
    private long _commit;

    public LedgerMetricsListener(Guid? writerId = null)
    {
        _writer = writerId?.ToString();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LedgerMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => OnMeasurement(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>The sums so far.</summary>
    public LedgerTotals Totals => new(
        Interlocked.Read(ref _batches), Interlocked.Read(ref _operations), Interlocked.Read(ref _alone),
        TimeSpan.FromTicks(Interlocked.Read(ref _busy)), TimeSpan.FromTicks(Interlocked.Read(ref _claim)), TimeSpan.FromTicks(Interlocked.Read(ref _build)),
        TimeSpan.FromTicks(Interlocked.Read(ref _write)), TimeSpan.FromTicks(Interlocked.Read(ref _commit)));

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? writer = null, phase = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case LedgerMetrics.WriterTag:
                    writer = tag.Value as string;
                    break;
                case LedgerMetrics.PhaseTag:
                    phase = tag.Value as string;
                    break;
            }
        }

        if (_writer is not null && writer != _writer)
        {
            return;
        }

        var ticks = (long)(value * TimeSpan.TicksPerMillisecond);
        switch (instrument)
        {
            case LedgerMetrics.BatchSize:
                Interlocked.Increment(ref _batches);
                break;
            case LedgerMetrics.OperationsCommitted:
                Interlocked.Add(ref _operations, (long)value);
                break;
            case LedgerMetrics.OperationsWrittenAlone:
                Interlocked.Add(ref _alone, (long)value);
                break;
            case LedgerMetrics.BusyTime:
                Interlocked.Add(ref _busy, ticks);
                break;
            case LedgerMetrics.CommitDuration:
                Interlocked.Add(ref _commit, ticks);
                break;
            case LedgerMetrics.PhaseDuration when phase == "claim":
                Interlocked.Add(ref _claim, ticks);
                break;
            case LedgerMetrics.PhaseDuration when phase == "build":
                Interlocked.Add(ref _build, ticks);
                break;
            case LedgerMetrics.PhaseDuration when phase == "write":
                Interlocked.Add(ref _write, ticks);
                break;
        }
    }
}

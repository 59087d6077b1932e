using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TiBillet.Bench.Load;

/// <summary>Runtime GC events (suspend, collect, restart) with timestamps, to see which part of a pause is long.</summary>
public sealed class GcEventLog : EventListener
{
    private readonly ConcurrentQueue<(DateTime At, string Name, string Detail)> _events = new();

    private readonly ConcurrentDictionary<string, int> _allocations = new();

    public bool Recording { get; set; }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Verbose adds GCAllocationTick (one sample per ~100 KB allocated, with the type that crossed it).
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!Recording || e.EventName is null)
        {
            return;
        }

        if (e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t] as string ?? "?" : "?";
            _allocations.AddOrUpdate(type, 1, (_, n) => n + 1);
            return;
        }

        var detail = e.EventName switch
        {
            "GCStart_V2" => $"gen{e.Payload?[1]} reason {e.Payload?[2]}",
            "GCSuspendEEBegin_V1" => $"reason {e.Payload?[0]}",
            "GCHeapStats_V2" => string.Join(", ", e.PayloadNames!.Zip(e.Payload!, (n, v) => $"{n}={v}")),
            _ => "",
        };
        if (e.EventName.StartsWith("GCStart", StringComparison.Ordinal) || e.EventName.StartsWith("GCEnd", StringComparison.Ordinal)
            || e.EventName.StartsWith("GCSuspendEE", StringComparison.Ordinal) || e.EventName.StartsWith("GCRestartEE", StringComparison.Ordinal) || e.EventName.StartsWith("GCHeapStats", StringComparison.Ordinal))
        {
            _events.Enqueue((e.TimeStamp, e.EventName, detail));
        }
    }

    public void Dump(TextWriter output)
    {
        DateTime? first = null;
        foreach (var (at, name, detail) in _events)
        {
            first ??= at;
            output.WriteLine($"  {at.ToUniversalTime():HH:mm:ss.fff} +{(at - first.Value).TotalMilliseconds,10:0.00} ms {name} {detail}");
        }

        var samples = _allocations.Values.Sum();
        foreach (var (type, n) in _allocations.OrderByDescending(a => a.Value).Take(40))
        {
            output.WriteLine($"  alloc {100.0 * n / samples,5:0.0}% {type}");
        }
    }
}

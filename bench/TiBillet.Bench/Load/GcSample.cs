namespace TiBillet.Bench.Load;

/// <summary>Garbage collections and their total pause in this process, to tell GC pauses from queueing in a latency tail.</summary>
public readonly record struct GcSample(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
{
    public static GcSample Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public static GcSample operator -(GcSample a, GcSample b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused, a.Allocated - b.Allocated);

    /// <summary>The last ephemeral collection: its pause, what it promoted and the heap around it.</summary>
    public static string LastEphemeral()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        return $"last ephemeral GC #{info.Index} gen{info.Generation}: pause {info.PauseDurations[0].TotalMilliseconds:0.0} ms, promoted {info.PromotedBytes / 1048576.0:0.0} MiB, heap {info.HeapSizeBytes / 1048576.0:0} MiB, fragmented {info.FragmentedBytes / 1048576.0:0} MiB, pinned {info.PinnedObjectsCount}";
    }

    public override string ToString() => $"GCs gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}, paused {Paused.TotalMilliseconds:0} ms, allocated {Allocated / 1048576.0:0} MiB";
}
